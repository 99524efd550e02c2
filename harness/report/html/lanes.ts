import type { DomainEvent } from '../../../domain/events';

/**
 * The actor lanes of a sequence diagram and, for each event, the lane it comes from and the lane it
 * reaches. Who plays which part is read from the trace: providers register or serve services,
 * spawned children are marked as such, every other agent besides the agent under test competes.
 */

export type LaneRole = 'agent under test' | 'competitor' | 'child' | 'provider' | 'scheduler' | 'orchestrator' | 'judge';

export interface Lane {
  readonly id: string;
  readonly role: LaneRole;
}

export interface EventArrow {
  readonly from: string;
  readonly to: string;
}

const SCHEDULER_LANE = 'scheduler';
const ORCHESTRATOR_LANE = 'orchestrator';
const JUDGE_LANE = 'judge';

/** The events the scheduler emits (docs/DESIGN.md section 3); the orchestrator emits every other system event. */
const SCHEDULER_EVENTS: ReadonlySet<string> = new Set(['bid_placed', 'bid_rejected', 'bid_processed', 'resources_allocated', 'price_update']);

const ROLE_ORDER: readonly LaneRole[] = ['agent under test', 'competitor', 'child', 'provider'];

/** Every agent the trace names, in order of first mention: a provider outside the world appears only in its services and payments. */
function agentRoles(trace: readonly DomainEvent[], agentUnderTest: string): Map<string, LaneRole> {
  const providers = new Set<string>();
  const children = new Set<string>();
  const agents = new Set<string>();
  const mention = (...ids: string[]) => ids.forEach((id) => agents.add(id));
  for (const event of trace) {
    switch (event.type) {
      case 'agent_created':
        mention(event.data.agent_id);
        break;
      case 'service_registered':
        mention(event.data.agent_id);
        providers.add(event.data.agent_id);
        break;
      case 'service_invoked':
        mention(event.data.caller_agent, event.data.provider_agent);
        providers.add(event.data.provider_agent);
        break;
      case 'credits_transferred':
        mention(event.data.from_agent, event.data.to_agent);
        break;
      case 'agent_spawned':
        children.add(event.data.child_id);
        break;
    }
  }
  const roleOf = (agentId: string): LaneRole =>
    agentId === agentUnderTest ? 'agent under test' : providers.has(agentId) ? 'provider' : children.has(agentId) ? 'child' : 'competitor';
  return new Map([...agents].map((agentId) => [agentId, roleOf(agentId)]));
}

export function lanesOf(trace: readonly DomainEvent[], agentUnderTest: string): Lane[] {
  const roles = agentRoles(trace, agentUnderTest);
  const agentLanes = [...roles].map(([id, role]) => ({ id, role })).sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  return [...agentLanes, { id: SCHEDULER_LANE, role: 'scheduler' }, { id: ORCHESTRATOR_LANE, role: 'orchestrator' }, { id: JUDGE_LANE, role: 'judge' }];
}

/** Agents act on their own lane; the system and the judge address the agent an event concerns. */
export function arrowOf(event: DomainEvent, lanes: ReadonlySet<string>): EventArrow {
  const agentLane = (agentId: string, otherwise: string) => (lanes.has(agentId) ? agentId : otherwise);
  if (event.source === 'agent') {
    const lane = agentLane(event.agent_id, ORCHESTRATOR_LANE);
    return { from: lane, to: lane };
  }
  if (event.source === 'judge') return { from: JUDGE_LANE, to: agentLane(event.agent_id, JUDGE_LANE) };
  if (event.type === 'credits_transferred') return { from: agentLane(event.data.from_agent, ORCHESTRATOR_LANE), to: agentLane(event.data.to_agent, ORCHESTRATOR_LANE) };
  if (event.type === 'service_invoked') return { from: agentLane(event.data.caller_agent, ORCHESTRATOR_LANE), to: agentLane(event.data.provider_agent, ORCHESTRATOR_LANE) };
  const emitter = SCHEDULER_EVENTS.has(event.type) ? SCHEDULER_LANE : ORCHESTRATOR_LANE;
  return { from: emitter, to: agentLane(event.agent_id, emitter) };
}
