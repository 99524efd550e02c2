import { right, type Either } from 'fp-ts/lib/Either.js';
import type { Prices } from '../../domain/economy/pricing';
import type { EventBus } from '../../machines';
import type { LoadedScenario } from '../scenarios';
import { createCodeWorkspace, type SelfImprovementWorkspace } from '../self-improvement';
import type { Check } from '../validate';

/**
 * A self-improvement scenario runs on real code: its workspace (the modules and tests kept beside the
 * scenario in `<id>.workspace/`, found by its id) is the world's code workspace, and after the agent's
 * run the baseline and the agent's modified modules are measured. The measurements enter the trace
 * as `performance_measured` events, which the performance checks read.
 */

/** The scenario's workspace, or undefined for a scenario of another domain; Left when its workspace cannot be built. */
export function workspaceFor(loaded: LoadedScenario, companions?: string): Either<string[], SelfImprovementWorkspace | undefined> {
  if (loaded.scenario.domain !== 'self_improvement') return right(undefined);
  return createCodeWorkspace(loaded.scenario, companions === undefined ? {} : { root: companions });
}

/** Records the measurements on the bus; a variant that could not be measured gets a failed check saying why. */
export function recordMeasurements(workspace: SelfImprovementWorkspace, bus: EventBus, agentId: string, prices: Prices): Check[] {
  const { records, failures } = workspace.measure(prices);
  for (const record of records) bus.emit('performance_measured', agentId, record);
  return failures.map((failure) => ({ name: 'measurement', passed: false, detail: failure }));
}
