import type { Scenario, Validation } from '../../domain/benchmark/scenario';
import type { Trace } from '../../domain/economy/events';
import type { Bindings } from './match';
import type { Check } from './verdict';

/** What the rule blocks found in a trace: the input of the `success_condition` predicates. */

export type BlockName = Exclude<keyof Validation, 'success_condition'>;

export interface Evidence {
  readonly scenario: Scenario;
  readonly trace: Trace;
  /** Labels bound by the rule entries that matched. */
  readonly bindings: Bindings;
  /** The checks of each block the scenario declares. */
  readonly blocks: Partial<Record<BlockName, readonly Check[]>>;
}
