import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { balanceOf, transfer as transferCredits } from '../../domain/ledger';
import { emission } from '../event-bus';
import { refusedBy, succeeded, withArguments, type Tool } from './tool';
import { PositiveCredits } from '../../domain/credits';

export const getBalance: Tool = (world, { agent_id }) => {
  const balance = balanceOf(world.ledger, agent_id);
  return succeeded(world, [emission('balance_queried', agent_id, { agent_id, balance })], { balance });
};

export const transfer: Tool = withArguments(
  t.intersection([t.type({ to_agent: t.string, amount: PositiveCredits }), t.partial({ purpose: t.string })]),
  (world, { to_agent, amount, purpose = 'transfer' }, { agent_id }) => {
    const ledger = transferCredits(world.ledger, agent_id, to_agent, amount);
    if (isLeft(ledger)) return refusedBy(world, ledger.left);
    const moved = emission('credits_transferred', agent_id, { from_agent: agent_id, to_agent, amount, purpose });
    return succeeded({ ...world, ledger: ledger.right }, [moved], { to_agent, amount });
  },
);
