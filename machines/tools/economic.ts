import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { PositiveCredits } from '../../domain/economy/credits';
import { balanceOf, transfer as transferCredits } from '../../domain/economy/ledger';
import { emission } from '../event-bus';
import {
  defineTool,
  EXECUTING_ONLY,
  NoArguments,
  OPEN_WHILE_BIDDING,
  refusedBy,
  succeeded,
} from './tool';

export const getBalance = defineTool({
  name: 'economic.get_balance',
  description: 'Read your own balance, in credits. Takes no arguments; answers {balance}.',
  arguments: NoArguments,
  phases: OPEN_WHILE_BIDDING,
  performer: {
    by: 'orchestrator',
    perform: (world, _args, { agent_id }) => {
      const balance = balanceOf(world.ledger, agent_id);
      return succeeded(world, [emission('balance_queried', agent_id, { agent_id, balance })], { balance });
    },
  },
});

export const transfer = defineTool({
  name: 'economic.transfer',
  description:
    'Move `amount` credits (> 0) from your balance to the agent `to_agent`; `purpose` (optional text, default "transfer") labels it in the trace. Refused when your balance is short.',
  arguments: t.intersection([t.type({ to_agent: t.string, amount: PositiveCredits }), t.partial({ purpose: t.string })]),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, { to_agent, amount, purpose = 'transfer' }, { agent_id }) => {
      const ledger = transferCredits(world.ledger, agent_id, to_agent, amount);
      if (isLeft(ledger)) return refusedBy(world, ledger.left);
      const moved = emission('credits_transferred', agent_id, { from_agent: agent_id, to_agent, amount, purpose });
      return succeeded({ ...world, ledger: ledger.right }, [moved], { to_agent, amount });
    },
  },
});
