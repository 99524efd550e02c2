import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import {
  balanceOf,
  burn,
  burnEscrow,
  burnMany,
  emptyLedger,
  escrowOf,
  holdInEscrow,
  mint,
  openAccount,
  openAccounts,
  releaseEscrow,
  releaseMany,
  totalSupply,
  transfer,
  type Ledger,
  type LedgerError,
} from '../domain/economy/ledger';
import { isValidAmount, roundCredits } from '../domain/economy/credits';
import { leftOf, rightOf } from './fixtures/either';

const ok = (result: Either<LedgerError, Ledger>): Ledger => rightOf(result);
const refusal = (result: Either<LedgerError, Ledger>): LedgerError => leftOf(result, 'a refusal');

/** alice 100, bob 50. */
const twoAgents = ok(openAccount(ok(openAccount(emptyLedger, 'alice', 100)), 'bob', 50));

test('an opened account holds its initial balance and an empty escrow', () => {
  assert.is(balanceOf(twoAgents, 'alice'), 100);
  assert.is(escrowOf(twoAgents, 'alice'), 0);
  assert.is(totalSupply(twoAgents), 150);
});

test('opening refuses an existing account and an invalid initial balance', () => {
  assert.equal(refusal(openAccount(twoAgents, 'alice', 10)), { kind: 'account_exists', agent_id: 'alice' });
  for (const amount of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(refusal(openAccount(twoAgents, 'carol', amount)), { kind: 'invalid_amount', amount });
  }
});

test('an initial balance is rounded to micro-credits', () => {
  assert.is(balanceOf(ok(openAccount(emptyLedger, 'carol', 1.23456789)), 'carol'), 1.234568);
});

test('an unknown account has a balance of 0, even one named like an Object.prototype property', () => {
  assert.is(balanceOf(twoAgents, 'carol'), 0);
  assert.is(balanceOf(twoAgents, 'constructor'), 0);
  assert.equal(refusal(transfer(twoAgents, 'alice', 'constructor', 1)), { kind: 'unknown_account', agent_id: 'constructor' });
});

test('a transfer moves credits and conserves the total', () => {
  const after = ok(transfer(twoAgents, 'alice', 'bob', 30));
  assert.is(balanceOf(after, 'alice'), 70);
  assert.is(balanceOf(after, 'bob'), 80);
  assert.is(totalSupply(after), 150);
});

test('a transfer of the whole balance leaves exactly zero; a cent more is refused', () => {
  assert.is(balanceOf(ok(transfer(twoAgents, 'alice', 'bob', 100)), 'alice'), 0);
  assert.equal(refusal(transfer(twoAgents, 'alice', 'bob', 100.01)), {
    kind: 'insufficient_balance',
    agent_id: 'alice',
    required: 100.01,
    available: 100,
  });
});

test('a transfer refuses unknown accounts on either side and invalid amounts', () => {
  assert.equal(refusal(transfer(twoAgents, 'carol', 'bob', 1)), { kind: 'unknown_account', agent_id: 'carol' });
  assert.equal(refusal(transfer(twoAgents, 'alice', 'carol', 1)), { kind: 'unknown_account', agent_id: 'carol' });
  assert.equal(refusal(transfer(twoAgents, 'alice', 'bob', -5)), { kind: 'invalid_amount', amount: -5 });
});

test('decimal amounts stay exact to the micro-credit', () => {
  let ledger = twoAgents;
  for (let i = 0; i < 10; i++) ledger = ok(transfer(ledger, 'alice', 'bob', 0.1));
  assert.is(balanceOf(ledger, 'alice'), 99);
  assert.is(balanceOf(ledger, 'bob'), 51);
  assert.is(balanceOf(ok(transfer(twoAgents, 'alice', 'bob', 0.1 + 0.2)), 'bob'), 50.3);
});

test('a burn removes credits from the supply; more than the balance is refused', () => {
  const after = ok(burn(twoAgents, 'bob', 20));
  assert.is(balanceOf(after, 'bob'), 30);
  assert.is(totalSupply(after), 130);
  assert.equal(refusal(burn(twoAgents, 'bob', 51)), { kind: 'insufficient_balance', agent_id: 'bob', required: 51, available: 50 });
  assert.equal(refusal(burn(twoAgents, 'carol', 1)), { kind: 'unknown_account', agent_id: 'carol' });
  assert.equal(refusal(burn(twoAgents, 'bob', Number.NaN)), { kind: 'invalid_amount', amount: Number.NaN });
});

test('burnMany burns a whole batch, counting several burns of one agent together', () => {
  const after = ok(burnMany(twoAgents, [
    { agent_id: 'alice', amount: 60 },
    { agent_id: 'bob', amount: 50 },
    { agent_id: 'alice', amount: 40 },
  ]));
  assert.is(balanceOf(after, 'alice'), 0);
  assert.is(balanceOf(after, 'bob'), 0);
  assert.is(totalSupply(after), 0);
});

test('burnMany is all or nothing, and reports what the batch asked of the agent', () => {
  const batch = [
    { agent_id: 'bob', amount: 10 },
    { agent_id: 'alice', amount: 60 },
    { agent_id: 'alice', amount: 60 },
  ];
  assert.equal(refusal(burnMany(twoAgents, batch)), { kind: 'insufficient_balance', agent_id: 'alice', required: 120, available: 100 });
  assert.equal(refusal(burnMany(twoAgents, [{ agent_id: 'bob', amount: 1 }, { agent_id: 'carol', amount: 1 }])), {
    kind: 'unknown_account',
    agent_id: 'carol',
  });
  assert.equal(refusal(burnMany(twoAgents, [{ agent_id: 'bob', amount: 1 }, { agent_id: 'bob', amount: -1 }])), {
    kind: 'invalid_amount',
    amount: -1,
  });
  assert.is(balanceOf(twoAgents, 'bob'), 50);
});

test('mint creates credits in a known account only', () => {
  const after = ok(mint(twoAgents, 'bob', 25));
  assert.is(balanceOf(after, 'bob'), 75);
  assert.is(totalSupply(after), 175);
  assert.equal(refusal(mint(twoAgents, 'carol', 25)), { kind: 'unknown_account', agent_id: 'carol' });
  assert.equal(refusal(mint(twoAgents, 'bob', Number.POSITIVE_INFINITY)), {
    kind: 'invalid_amount',
    amount: Number.POSITIVE_INFINITY,
  });
});

test('escrow holds credits out of the balance without removing them from the supply', () => {
  const held = ok(holdInEscrow(twoAgents, 'alice', 30));
  assert.is(balanceOf(held, 'alice'), 70);
  assert.is(escrowOf(held, 'alice'), 30);
  assert.is(totalSupply(held), 150);
  assert.equal(refusal(holdInEscrow(twoAgents, 'alice', 101)), {
    kind: 'insufficient_balance',
    agent_id: 'alice',
    required: 101,
    available: 100,
  });
});

test('released escrow returns to the balance; more than is held is refused against the escrow', () => {
  const held = ok(holdInEscrow(twoAgents, 'alice', 30));
  const released = ok(releaseEscrow(held, 'alice', 30));
  assert.equal(released, twoAgents);
  assert.equal(refusal(releaseEscrow(held, 'alice', 31)), { kind: 'insufficient_balance', agent_id: 'alice', required: 31, available: 30 });
  assert.equal(refusal(releaseEscrow(held, 'dave', 1)), { kind: 'unknown_account', agent_id: 'dave' });
});

test('releaseMany returns a batch as releaseEscrow would one after another, is all or nothing, and reports what the batch asked', () => {
  const held = ok(holdInEscrow(ok(holdInEscrow(ok(holdInEscrow(twoAgents, 'alice', 30)), 'bob', 5)), 'alice', 2.5));
  const batch = [{ agent_id: 'alice', amount: 30 }, { agent_id: 'bob', amount: 5 }, { agent_id: 'alice', amount: 2.5 }];
  const oneByOne = batch.reduce((ledger, { agent_id, amount }) => ok(releaseEscrow(ledger, agent_id, amount)), held);
  assert.equal(ok(releaseMany(held, batch)), oneByOne);
  assert.equal(oneByOne, twoAgents);
  assert.equal(refusal(releaseMany(held, [...batch, { agent_id: 'bob', amount: 0.5 }])), { kind: 'insufficient_balance', agent_id: 'bob', required: 5.5, available: 5 });
  assert.equal(refusal(releaseMany(held, [{ agent_id: 'bob', amount: -1 }])), { kind: 'invalid_amount', amount: -1 });
  assert.is(escrowOf(held, 'alice'), 32.5, 'the ledger given is untouched');
});

test('burned escrow leaves the supply; the balance is untouched', () => {
  const held = ok(holdInEscrow(twoAgents, 'alice', 30));
  const burned = ok(burnEscrow(held, 'alice', 30));
  assert.is(escrowOf(burned, 'alice'), 0);
  assert.is(balanceOf(burned, 'alice'), 70);
  assert.is(totalSupply(burned), 120);
  assert.equal(refusal(burnEscrow(held, 'alice', 30.5)), { kind: 'insufficient_balance', agent_id: 'alice', required: 30.5, available: 30 });
  assert.equal(refusal(burnEscrow(held, 'alice', -0.5)), { kind: 'invalid_amount', amount: -0.5 });
});

test('operations never modify the ledger they are given', () => {
  const before = JSON.stringify(twoAgents);
  ok(transfer(twoAgents, 'alice', 'bob', 1));
  ok(burnMany(twoAgents, [{ agent_id: 'alice', amount: 1 }]));
  ok(holdInEscrow(twoAgents, 'bob', 1));
  openAccounts(twoAgents, [{ agent_id: 'carol', balance: 1 }]);
  assert.is(JSON.stringify(twoAgents), before);
});

test('a pot keeps every account through copies, even one a posting added to a ledger made by hand', () => {
  // An escrow that lacks bob's account: holding his credits adds it to the copy that is written.
  const byHand: Ledger = { balances: { alice: 10, bob: 5 }, escrow: { alice: 0 } };
  const held = ok(holdInEscrow(byHand, 'bob', 2));
  assert.equal(Object.keys(held.escrow), ['alice', 'bob']);
  const copiedAgain = ok(holdInEscrow(ok(holdInEscrow(held, 'alice', 1)), 'alice', 1));
  assert.equal(copiedAgain.escrow, { alice: 2, bob: 2 }, 'the copies of the copy keep bob');
  const opened = openAccounts(copiedAgain, [{ agent_id: 'carol', balance: 4 }]).ledger;
  const burned = ok(burn(ok(burn(opened, 'carol', 1)), 'alice', 1));
  assert.equal(Object.keys(burned.balances), ['alice', 'bob', 'carol']);
  assert.equal(burned.balances, { alice: 7, bob: 3, carol: 3 });
  assert.equal(burned.escrow, { alice: 2, bob: 2, carol: 0 });
  assert.is(JSON.stringify(byHand), '{"balances":{"alice":10,"bob":5},"escrow":{"alice":0}}', 'nothing written to the ledger given');
});

// Random sequences of operations, including invalid amounts and an account that does not exist.

const AGENTS = ['alice', 'bob', 'carol'];
const agentArb = fc.constantFrom(...AGENTS, 'ghost');
const amountArb = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 200, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY) },
);

type Operation =
  | { op: 'transfer'; from: string; to: string; amount: number }
  | { op: 'burn' | 'mint' | 'hold' | 'release' | 'burnEscrow'; agent: string; amount: number }
  | { op: 'burnMany'; burns: { agent_id: string; amount: number }[] };

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('transfer' as const), from: agentArb, to: agentArb, amount: amountArb }),
  fc.record({
    op: fc.constantFrom('burn' as const, 'mint' as const, 'hold' as const, 'release' as const, 'burnEscrow' as const),
    agent: agentArb,
    amount: amountArb,
  }),
  fc.record({
    op: fc.constant('burnMany' as const),
    burns: fc.array(fc.record({ agent_id: agentArb, amount: amountArb }), { maxLength: 4 }),
  }),
);

const startArb = fc.tuple(...AGENTS.map(() => fc.double({ min: 0, max: 300, noNaN: true }))).map((balances) =>
  AGENTS.reduce((ledger, agent, i) => ok(openAccount(ledger, agent, balances[i]!)), emptyLedger),
);

function apply(l: Ledger, operation: Operation): Either<LedgerError, Ledger> {
  switch (operation.op) {
    case 'transfer':
      return transfer(l, operation.from, operation.to, operation.amount);
    case 'burn':
      return burn(l, operation.agent, operation.amount);
    case 'mint':
      return mint(l, operation.agent, operation.amount);
    case 'hold':
      return holdInEscrow(l, operation.agent, operation.amount);
    case 'release':
      return releaseEscrow(l, operation.agent, operation.amount);
    case 'burnEscrow':
      return burnEscrow(l, operation.agent, operation.amount);
    case 'burnMany':
      return burnMany(l, operation.burns);
  }
}

/** How an accepted operation must change the total supply: up by mints, down by burns, else not at all. */
function expectedSupplyChange(operation: Operation): number {
  switch (operation.op) {
    case 'mint':
      return roundCredits(operation.amount);
    case 'burn':
    case 'burnEscrow':
      return -roundCredits(operation.amount);
    case 'burnMany':
      return -operation.burns.reduce((sum, { amount }) => sum + roundCredits(amount), 0);
    default:
      return 0;
  }
}

function amountsOf(operation: Operation): number[] {
  return operation.op === 'burnMany' ? operation.burns.map(({ amount }) => amount) : [operation.amount];
}

const PROPERTY_RUNS = { seed: 20_260_101, numRuns: 200 };

test('property: accepted operations change the supply by exactly their mints and burns', () => {
  fc.assert(
    fc.property(startArb, fc.array(operationArb, { maxLength: 30 }), (start, operations) => {
      let ledger = start;
      for (const operation of operations) {
        const result = apply(ledger, operation);
        if (isLeft(result)) continue;
        const change = roundCredits(totalSupply(result.right) - totalSupply(ledger));
        if (Math.abs(change - roundCredits(expectedSupplyChange(operation))) > 1e-9) return false;
        ledger = result.right;
      }
      return true;
    }),
    PROPERTY_RUNS,
  );
});

test('property: no balance or escrow is ever negative; refusals have a real cause and change nothing', () => {
  fc.assert(
    fc.property(startArb, fc.array(operationArb, { maxLength: 30 }), (start, operations) => {
      let ledger = start;
      for (const operation of operations) {
        const before = JSON.stringify(ledger);
        const result = apply(ledger, operation);
        if (JSON.stringify(ledger) !== before) return false;
        if (isLeft(result)) {
          const error = result.left;
          if (error.kind === 'unknown_account' && AGENTS.includes(error.agent_id)) return false;
          if (error.kind === 'invalid_amount' && amountsOf(operation).every(isValidAmount)) return false;
          if (error.kind === 'insufficient_balance' && !(error.required > error.available)) return false;
          continue;
        }
        ledger = result.right;
        const pots = [...Object.values(ledger.balances), ...Object.values(ledger.escrow)];
        if (pots.some((credits) => credits < 0)) return false;
      }
      return true;
    }),
    PROPERTY_RUNS,
  );
});

test('property: transfers alone conserve the supply to the micro-credit', () => {
  const transferArb = fc.record({ from: fc.constantFrom(...AGENTS), to: fc.constantFrom(...AGENTS), amount: amountArb });
  fc.assert(
    fc.property(startArb, fc.array(transferArb, { maxLength: 40 }), (start, transfers) => {
      const ledger = transfers.reduce((l, { from, to, amount }) => {
        const result = transfer(l, from, to, amount);
        return isRight(result) ? result.right : l;
      }, start);
      return totalSupply(ledger) === totalSupply(start);
    }),
    PROPERTY_RUNS,
  );
});

test('openAccounts opens a batch as openAccount would, one after another', () => {
  const { ledger, refusals } = openAccounts(twoAgents, [
    { agent_id: 'carol', balance: 1.23456789 },
    { agent_id: 'dave', balance: 0 },
  ]);
  assert.equal(refusals, []);
  assert.equal(ledger, ok(openAccount(ok(openAccount(twoAgents, 'carol', 1.23456789)), 'dave', 0)));
  assert.is(balanceOf(twoAgents, 'carol'), 0);
});

test('openAccounts leaves out and reports, by position, each account openAccount would refuse', () => {
  const { ledger, refusals } = openAccounts(twoAgents, [
    { agent_id: 'alice', balance: 10 },
    { agent_id: 'carol', balance: 5 },
    { agent_id: 'carol', balance: 6 },
    { agent_id: 'dave', balance: Number.NaN },
  ]);
  assert.equal(refusals, [
    { index: 0, error: { kind: 'account_exists', agent_id: 'alice' } },
    { index: 2, error: { kind: 'account_exists', agent_id: 'carol' } },
    { index: 3, error: { kind: 'invalid_amount', amount: Number.NaN } },
  ]);
  assert.equal(ledger, ok(openAccount(twoAgents, 'carol', 5)));
});

test.run();
