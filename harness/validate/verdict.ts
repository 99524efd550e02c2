import type { Domain } from '../../domain/scenario';

/** One verified rule: its name (e.g. `required_events[0]`), whether it holds, and why. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** A scenario passes only when every check passes. */
export interface ScenarioVerdict {
  readonly id: string;
  readonly domain: Domain;
  readonly passed: boolean;
  readonly checks: readonly Check[];
}

export function failed(name: string, detail: string): Check {
  return { name, passed: false, detail };
}
