import type { Prices } from '../../domain/economy/pricing';
import { LEGACY_UNIT_CAPACITY } from '../../domain/economy/resources';

/**
 * What a measured run of agent code costs, in credits, at the world's prices (credits per
 * capacity-second, `DEFAULT_PRICES` unless the run says otherwise). The resources a run uses convert to
 * capacity-seconds the way the older bundle units do (docs/DESIGN.md section 3):
 *
 * | resource used                        | capacity-seconds            | credits at DEFAULT_PRICES |
 * |--------------------------------------|-----------------------------|---------------------------|
 * | 1 cpu-second (user + system time)    | 1 / 10  (10 cpu-seconds)    | 0.1                       |
 * | 1 token (of a model the code calls)  | 1 / 1,000,000               | 0.000001                  |
 *
 * Memory is not charged: a run holds it for milliseconds, and V8's heap use is too noisy to bill.
 */

export interface ResourceUse {
  readonly cpu_seconds: number;
  readonly tokens: number;
}

export function creditsFor(use: ResourceUse, prices: Prices): number {
  return (
    (use.cpu_seconds / LEGACY_UNIT_CAPACITY.cpu_seconds) * prices.cpu +
    (use.tokens / LEGACY_UNIT_CAPACITY.tokens) * prices.tokens
  );
}
