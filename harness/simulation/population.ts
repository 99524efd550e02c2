import { policyBrain, type AgentSetup } from '../../machines';
import { agentId } from './study';

/** The agents of a population run: `agent-0001`, `agent-0002`, … all with the same brain and balance. */
export function population(count: number, balance: number): AgentSetup[] {
  const brain = policyBrain();
  return Array.from({ length: count }, (_, index) => ({ id: agentId(index, count), balance, brain }));
}
