import { assertEvent } from 'xstate';
import type { OrchestratorEvent } from '../messages';
import type { OrchestratorContext } from './setup';

type OrchestratorGuard = (args: { readonly context: OrchestratorContext; readonly event: OrchestratorEvent }) => boolean;

/** Where the cycle stands: whose turn it is, whether every bidder and window has had its turn, whether the run is over or has failed. */
export const orchestratorGuards = {
  isTurnHolder: ({ context, event }) => {
    assertEvent(event, 'turn.ended');
    return context.turn?.agent_id === event.agent_id;
  },
  allBiddersHadTheirTurn: ({ context }) => context.next >= context.bidders.length,
  allWindowsExecuted: ({ context }) => context.next >= context.allocations.length,
  hasFailed: ({ context }) => context.error !== undefined,
  runIsOver: ({ context }) => context.world.cycle >= context.cycles || context.roster.order.length === 0,
} satisfies Record<string, OrchestratorGuard>;
