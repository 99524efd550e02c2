import { policyBrain, type AgentSetup } from '../../machines';

/** The agents of a population run: `agent-0001`, `agent-0002`, … all with the same brain and balance. */
export function population(count: number, balance: number): AgentSetup[] {
  const brain = policyBrain();
  const width = String(count).length;
  return Array.from({ length: count }, (_, index) => ({ id: `agent-${String(index + 1).padStart(Math.max(4, width), '0')}`, balance, brain }));
}
