import * as t from 'io-ts';

/**
 * What the agent's model calls used in one scenario run, as the API reported it: a call that reported
 * no usage counts as a call of zero tokens. A script makes no call and uses nothing. Calls that reached
 * the model (`model_calls` and the tokens, which are what a run costs) are counted apart from answers
 * replayed from the model cache (`replayed_calls`, with the `replayed_tokens` they took when recorded).
 */
export const Usage = t.readonly(
  t.type({ model_calls: t.number, input_tokens: t.number, output_tokens: t.number, total_tokens: t.number, replayed_calls: t.number, replayed_tokens: t.number }),
  'Usage',
);
export type Usage = t.TypeOf<typeof Usage>;

export const NO_USAGE: Usage = { model_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, replayed_calls: 0, replayed_tokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    model_calls: a.model_calls + b.model_calls,
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    replayed_calls: a.replayed_calls + b.replayed_calls,
    replayed_tokens: a.replayed_tokens + b.replayed_tokens,
  };
}

/** The usage block of a chat completion (`prompt_tokens`, `completion_tokens`, `total_tokens`) as one call that reached the model. */
export function usageOfCompletion(usage: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined | null): Usage {
  const input_tokens = usage?.prompt_tokens ?? 0;
  const output_tokens = usage?.completion_tokens ?? 0;
  return { ...NO_USAGE, model_calls: 1, input_tokens, output_tokens, total_tokens: usage?.total_tokens ?? input_tokens + output_tokens };
}

/** The same answer replayed from the cache: it reached no model and costs nothing, but took the tokens it took. */
export function replayedUsage(recorded: { readonly total_tokens: number }): Usage {
  return { ...NO_USAGE, replayed_calls: 1, replayed_tokens: recorded.total_tokens };
}

/** The tokens the agent's answers took, whether they came from the model or the cache: what `--token-limit` bounds, so that a replay decides as the recording did. */
export function answeredTokens(usage: Usage): number {
  return usage.total_tokens + usage.replayed_tokens;
}

/** A running total, shared by the brain that spends and the harness that reports. */
export class UsageMeter {
  private total: Usage = NO_USAGE;
  add(usage: Usage): void {
    this.total = addUsage(this.total, usage);
  }
  get usage(): Usage {
    return this.total;
  }
}

const Price = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a non-negative price in USD');
/** `--pricing FILE`: by model name, the price in USD of a million input and of a million output tokens. */
export const Pricing = t.record(t.string, t.type({ input_per_million: Price, output_per_million: Price }), 'Pricing');
export type Pricing = t.TypeOf<typeof Pricing>;

/** The cost of `usage` at `model`'s price, rounded to a millionth of a dollar; undefined when the model has no price. */
export function costOf(usage: Usage, model: string | undefined, pricing: Pricing | undefined): number | undefined {
  const price = model === undefined || pricing === undefined || !Object.hasOwn(pricing, model) ? undefined : pricing[model];
  if (price === undefined) return undefined;
  const dollars = (usage.input_tokens * price.input_per_million + usage.output_tokens * price.output_per_million) / 1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}
