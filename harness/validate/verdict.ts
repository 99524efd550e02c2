import type { Usage } from '../agents/usage';
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
  /** What the agent's model calls used in the run (none for a script); absent for a checked trace. */
  readonly usage?: Usage;
  /** The usage at the `--pricing` of the agent's model, in USD. */
  readonly cost_usd?: number;
}

export function failed(name: string, detail: string): Check {
  return { name, passed: false, detail };
}
