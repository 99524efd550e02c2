import * as t from 'io-ts';

/** The scarce resources of the economy; each has a supply of 1.0 of system capacity per cycle. */
export const RESOURCES = ['cpu', 'memory', 'tokens', 'attention'] as const;
export const Resource = t.keyof({ cpu: null, memory: null, tokens: null, attention: null }, 'Resource');
export type Resource = t.TypeOf<typeof Resource>;

const Fraction = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a capacity fraction between 0 and 1');
const PositiveSeconds = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive number of seconds');

/** A normalised all-or-nothing bundle: a fraction of each resource's capacity, held for a duration. */
export const ResourceBundle = t.type(
  {
    cpu: Fraction,
    memory: Fraction,
    tokens: Fraction,
    attention: Fraction,
    duration_seconds: PositiveSeconds,
  },
  'ResourceBundle',
);
export type ResourceBundle = t.TypeOf<typeof ResourceBundle>;

const NonNegative = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number');

/**
 * A bundle as an agent may ask for it: capacity fractions, or the older absolute units
 * (`tokens` above 1 is a token count, `cpu_seconds`, `memory_mb`), which `normaliseBundle` converts.
 */
export const BundleRequest = t.intersection(
  [
    t.type({ duration_seconds: PositiveSeconds }),
    t.partial({
      cpu: NonNegative,
      memory: NonNegative,
      tokens: NonNegative,
      attention: NonNegative,
      cpu_seconds: NonNegative,
      memory_mb: NonNegative,
    }),
  ],
  'BundleRequest',
);
export type BundleRequest = t.TypeOf<typeof BundleRequest>;

/** Capacity represented by one unit of each older form: 1,000,000 tokens, 10 cpu-seconds, 1024 MB. */
export const LEGACY_UNIT_CAPACITY = { tokens: 1_000_000, cpu_seconds: 10, memory_mb: 1024 } as const;

export type BundleError = { readonly resource: Resource; readonly fraction: number };

/** The capacity fraction a request asks of each resource, unchecked (a resource may ask for more than 1). */
export function bundleFractions(request: BundleRequest): Record<Resource, number> {
  const tokens = (request.tokens ?? 0) > 1 ? request.tokens! / LEGACY_UNIT_CAPACITY.tokens : (request.tokens ?? 0);
  return {
    cpu: (request.cpu ?? 0) + (request.cpu_seconds ?? 0) / LEGACY_UNIT_CAPACITY.cpu_seconds,
    memory: (request.memory ?? 0) + (request.memory_mb ?? 0) / LEGACY_UNIT_CAPACITY.memory_mb,
    tokens,
    attention: request.attention ?? 0,
  };
}

/** Converts a request to capacity fractions; a resource asking for more than the whole capacity is an error. */
export function normaliseBundle(request: BundleRequest): { bundle: ResourceBundle } | { error: BundleError } {
  const { cpu, memory, tokens, attention } = bundleFractions(request);
  // Each resource by its name, in RESOURCES order, and the bundle built as one literal: every bundle
  // then has one shape, which the clearing reads a hundred thousand of at a time.
  if (cpu > 1) return { error: { resource: 'cpu', fraction: cpu } };
  if (memory > 1) return { error: { resource: 'memory', fraction: memory } };
  if (tokens > 1) return { error: { resource: 'tokens', fraction: tokens } };
  if (attention > 1) return { error: { resource: 'attention', fraction: attention } };
  return { bundle: { cpu, memory, tokens, attention, duration_seconds: request.duration_seconds } };
}
