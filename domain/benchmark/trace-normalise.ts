import { isLeft } from 'fp-ts/lib/Either.js';
import { CYCLE_SECONDS } from '../economy/clock';
import { decodeWith } from '../codec/decode';
import { BundleRequest, bundleFractions } from '../economy/resources';

/**
 * Traces recorded elsewhere, in the shapes of the upstream benchmark design's event examples, read
 * as the project's events. Each rule is one pure rewrite of a raw (parsed, not yet decoded) event;
 * the rules run in order before decoding. A rule that does not recognise what it finds leaves it
 * as it is, so that the decoder still names the line and the field that cannot be read. Extra
 * fields need no rule: the event codecs keep any field they do not declare.
 */

type Raw = Record<string, unknown>;

export interface NormalisationRule {
  readonly name: string;
  /** One line for the README: what is read, and as what. */
  readonly rule: string;
  /** The rewritten event, or `undefined` when the rule does not apply to this one. */
  readonly apply: (event: Raw, data: Raw) => Raw | undefined;
}

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const withData = (event: Raw, data: Raw): Raw => ({ ...event, data });

/** The event types whose `data.bundle` is a resource bundle. */
const BUNDLE_EVENTS: readonly unknown[] = ['bid_placed', 'resources_allocated'];

function bundleOf(event: Raw, data: Raw): Raw | undefined {
  return BUNDLE_EVENTS.includes(event.type) && isRecord(data.bundle) ? data.bundle : undefined;
}

const RESOURCE_KEYS = ['cpu', 'memory', 'tokens', 'attention'] as const;

/** Already the project's form: every resource a capacity fraction, no older unit. */
const isCapacityBundle = (bundle: Raw): boolean =>
  RESOURCE_KEYS.every((key) => typeof bundle[key] === 'number' && (bundle[key] as number) <= 1) &&
  !('cpu_seconds' in bundle || 'memory_mb' in bundle || 'attention_share' in bundle);

export const NORMALISATION_RULES: readonly NormalisationRule[] = [
  {
    name: 'bundle_duration',
    rule: `a \`bid_placed\` or \`resources_allocated\` bundle without \`duration_seconds\` is held for one cycle (${CYCLE_SECONDS} s)`,
    apply: (event, data) => {
      const bundle = bundleOf(event, data);
      if (bundle === undefined || 'duration_seconds' in bundle) return undefined;
      return withData(event, { ...data, bundle: { ...bundle, duration_seconds: CYCLE_SECONDS } });
    },
  },
  {
    name: 'bundle_units',
    rule:
      'a bundle in the older units or with resources left out becomes capacity fractions: `tokens` above 1 is a count ' +
      '(/1,000,000), `cpu_seconds` /10, `memory_mb` /1024, `attention_share` is `attention`, a resource left out is 0',
    apply: (event, data) => {
      const bundle = bundleOf(event, data);
      if (bundle === undefined || isCapacityBundle(bundle)) return undefined;
      const { attention_share, ...rest } = bundle;
      const request = decodeWith(BundleRequest, attention_share === undefined ? rest : { ...rest, attention: attention_share });
      if (isLeft(request)) return undefined;
      // Unchecked, so that a resource over capacity is reported with the fraction it asked for.
      return withData(event, { ...data, bundle: { ...bundleFractions(request.right), duration_seconds: request.right.duration_seconds } });
    },
  },
  {
    name: 'bid_id',
    rule: 'a `bid_placed` without `bid_id` takes its `resource_bundle_id`, else `bid-<event_id>`',
    apply: (event, data) => {
      if (event.type !== 'bid_placed' || 'bid_id' in data) return undefined;
      const bidId = typeof data.resource_bundle_id === 'string' ? data.resource_bundle_id : `bid-${String(event.event_id)}`;
      return withData(event, { ...data, bid_id: bidId });
    },
  },
  {
    name: 'tool_parameters',
    rule: 'a `tool_call_initiated` with `parameters` and no `arguments` takes them as its `arguments`',
    apply: (event, data) => {
      if (event.type !== 'tool_call_initiated' || 'arguments' in data || !('parameters' in data)) return undefined;
      const { parameters, ...rest } = data;
      return withData(event, { ...rest, arguments: parameters });
    },
  },
  {
    name: 'reasoning_text',
    rule: 'a `reasoning_trace` with `reasoning` and no `content` takes it as its `content`',
    apply: (event, data) => {
      if (event.type !== 'reasoning_trace' || 'content' in data || !('reasoning' in data)) return undefined;
      const { reasoning, ...rest } = data;
      return withData(event, { ...rest, content: reasoning });
    },
  },
  {
    name: 'reasoning_decision',
    rule: 'a `reasoning_trace` without `decision` states none (`null`)',
    apply: (event, data) => (event.type !== 'reasoning_trace' || 'decision' in data ? undefined : withData(event, { ...data, decision: null })),
  },
  {
    name: 'considered_objects',
    rule:
      '`factors_considered` and `alternatives_considered` given as objects become one sentence each: the `factor`, ' +
      '`option` or `name`, then every other field as `key: value` (`balance_scarcity (weight: 0.8; description: …)`)',
    apply: (event, data) => {
      if (event.type !== 'reasoning_trace') return undefined;
      const lists = (['factors_considered', 'alternatives_considered'] as const).filter(
        (key) => Array.isArray(data[key]) && (data[key] as unknown[]).some(isRecord),
      );
      if (lists.length === 0) return undefined;
      const rewritten = { ...data };
      for (const key of lists) rewritten[key] = (data[key] as unknown[]).map((item) => (isRecord(item) ? sentenceOf(item) : item));
      return withData(event, rewritten);
    },
  },
];

/** The keys that name a considered factor or alternative, in the order they are looked for. */
const NAME_KEYS = ['factor', 'option', 'name'];

function sentenceOf(item: Raw): string {
  const nameKey = NAME_KEYS.find((key) => typeof item[key] === 'string');
  const details = Object.entries(item)
    .filter(([key]) => key !== nameKey)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
  if (nameKey === undefined) return details;
  const name = item[nameKey] as string;
  return details === '' ? name : `${name} (${details})`;
}

/**
 * `raw` with every applicable rule applied, in order, and the names of the rules that applied.
 * Anything that is not an event object with a `data` object is returned as it is, for the decoder
 * to reject.
 */
export function normaliseEvent(raw: unknown): { readonly event: unknown; readonly applied: readonly string[] } {
  if (!isRecord(raw)) return { event: raw, applied: [] };
  let event = raw;
  const applied: string[] = [];
  for (const rule of NORMALISATION_RULES) {
    if (!isRecord(event.data)) break;
    const rewritten = rule.apply(event, event.data);
    if (rewritten === undefined) continue;
    event = rewritten;
    applied.push(rule.name);
  }
  return { event, applied };
}
