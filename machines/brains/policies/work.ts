import type { ResourceBundle } from '../../../domain/economy/resources';
import type { ActionResult, BrainAction, BrainPrompt } from '../protocol';

/**
 * The work a built-in policy does in a window it won: one completion; then, if it pays for one, a
 * service; then, if it asks for the human's attention, the output handed in and a prompt escrowing
 * `prompt_bid` for the human to look at it. The steps go out as one batch as far as they can be
 * planned without a result still to come (only the completion's text, when it is handed in, is
 * one); a batch cut short by a failed step goes on from the step after it.
 */

export interface WorkOptions {
  readonly completion: { readonly prompt: string; readonly max_tokens: number };
  /** Credits escrowed to ask the human to look at the output; 0 or absent: the policy never asks. */
  readonly prompt_bid?: number;
  /** A service bought in each window, by name. */
  readonly service?: string;
}

export const END_TURN: BrainAction = { kind: 'end_turn' };

function completionText(result: ActionResult | undefined): string {
  if (result?.type !== 'tool.result' || result.result !== 'success') return '';
  const response = result.response as { text?: unknown } | undefined;
  return typeof response?.text === 'string' ? response.text : '';
}

function handIn(content: string, options: WorkOptions): BrainAction[] {
  if ((options.prompt_bid ?? 0) <= 0) return [END_TURN];
  return [{ kind: 'tool', tool_name: 'output.submit', arguments: { content } }, ...stepsAfter('output.submit', undefined, options)];
}

/** The steps after `step` (given its result, when it came), up to the first that waits for a result still to come. */
function stepsAfter(step: string, result: ActionResult | undefined, options: WorkOptions): BrainAction[] {
  switch (step) {
    case 'llm.complete':
      if (options.service !== undefined) {
        return [{ kind: 'tool', tool_name: 'service.invoke', arguments: { service_name: options.service } }, ...stepsAfter('service.invoke', undefined, options)];
      }
      return handIn(completionText(result), options);
    case 'service.invoke':
      return handIn(`with ${options.service}`, options);
    case 'output.submit':
      return [{ kind: 'tool', tool_name: 'human.prompt', arguments: { prompt: 'Please look at the output I handed in.', bid_amount: options.prompt_bid } }, END_TURN];
    default:
      return [END_TURN];
  }
}

/** Handing in the completion's own text waits for it; everything else is known before the window starts. */
function waitsForCompletion(options: WorkOptions): boolean {
  return options.service === undefined && (options.prompt_bid ?? 0) > 0;
}

export function startWork(options: WorkOptions): BrainAction[] {
  const complete: BrainAction = { kind: 'tool', tool_name: 'llm.complete', arguments: { ...options.completion } };
  return waitsForCompletion(options) ? [complete] : [complete, ...stepsAfter('llm.complete', undefined, options)];
}

type ToolResult = Extract<ActionResult, { type: 'tool.result' }>;

/** The last tool result a prompt carries: a single call's, or the last of a batch's. */
function lastToolResult(prompt: BrainPrompt): ToolResult | undefined {
  if (prompt.type === 'tool.result') return prompt;
  if (prompt.type !== 'actions.performed') return undefined;
  const toolResults = prompt.results.filter((result): result is ToolResult => result.type === 'tool.result');
  return toolResults[toolResults.length - 1];
}

/** The rest of the window's work after what `prompt` reports; the end of the turn after the last step. */
export function continueWork(prompt: BrainPrompt, options: WorkOptions): BrainAction[] {
  const last = lastToolResult(prompt);
  return last === undefined ? [END_TURN] : stepsAfter(last.tool_name, last, options);
}

/** A bid, and the end of the bidding turn: a bid the market refuses stops the batch and comes back. */
export function bid(amount: number, bundle: ResourceBundle): BrainAction[] {
  return [{ kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle } }, END_TURN];
}

export function sleep(cycles: number): BrainAction[] {
  return [{ kind: 'tool', tool_name: 'agent.sleep', arguments: { cycles } }, END_TURN];
}

/** Credits as the ledger keeps them in a bid: to the cent, never more than the balance. */
export function offer(amount: number, balance: number): number {
  return Math.min(balance, Math.round(amount * 100) / 100);
}
