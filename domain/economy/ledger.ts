import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { isValidAmount, roundCredits } from './credits';

export type Balances = Readonly<Record<string, number>>;

/** `escrow` holds credits an agent has bid for human attention: still its own, but no longer spendable. */
export interface Ledger {
  readonly balances: Balances;
  readonly escrow: Balances;
}

export type LedgerError =
  | { kind: 'unknown_account'; agent_id: string }
  | { kind: 'account_exists'; agent_id: string }
  | { kind: 'invalid_amount'; amount: number }
  | { kind: 'insufficient_balance'; agent_id: string; required: number; available: number };

export const emptyLedger: Ledger = { balances: {}, escrow: {} };

type Pot = keyof Ledger;

/** One signed change to one pot of one account; every ledger operation is a list of these. */
interface Posting {
  readonly agent_id: string;
  readonly pot: Pot;
  readonly delta: number;
}

function hasAccount(l: Ledger, agentId: string): boolean {
  return Object.hasOwn(l.balances, agentId);
}

/** Own keys only: an agent called `constructor` must not find Object.prototype's. */
function creditsIn(pot: Balances, agentId: string): number {
  return Object.hasOwn(pot, agentId) ? pot[agentId]! : 0;
}

/**
 * The accounts of each pot this module made, in their order. A pot is never written once it is
 * handed out, so its accounts are those of the pot it was copied from unless an account was added
 * while it was written (`writeAccount` forgets them then). Listing a thousand accounts afresh
 * (`Object.keys`, which sorts a hash table's keys) was two fifths of copying a pot.
 */
const accountsOf = new WeakMap<Balances, readonly string[]>();

/**
 * A copy of a pot to write to, with the same own keys in the same order. A pot of a thousand accounts
 * is too large for an object of fixed shape: copied into one (`Object.assign({}, pot)`, or a spread)
 * each account added walks or grows its shape, which cost about half a millisecond per copy. Copied
 * into an object that is a hash table from the start, over its kept account list, it costs about a
 * seventh of that, and every burn, escrow and release copies a pot.
 */
function writableCopy(pot: Balances): Record<string, number> {
  const copy: Record<string, number> = { made_a_hash_table: 0 };
  // Deleting a property is what turns an object into a hash table.
  delete copy.made_a_hash_table;
  const agentIds = accountsOf.get(pot) ?? Object.keys(pot);
  for (let index = 0; index < agentIds.length; index += 1) {
    const agentId = agentIds[index]!;
    copy[agentId] = pot[agentId]!;
  }
  accountsOf.set(copy, agentIds);
  return copy;
}

/** Writes an account's credits into a pot still being made by `writableCopy`. */
function writeAccount(pot: Record<string, number>, agentId: string, credits: number): void {
  if (!Object.hasOwn(pot, agentId)) accountsOf.delete(pot);
  pot[agentId] = credits;
}

/**
 * Applies the postings in order to one copy of the ledger, or refuses them all: a pot that would go
 * negative reports how much the postings asked of it against what it held before them. Only the pots
 * the postings touch are copied; the other is shared with `l`.
 */
function post(l: Ledger, postings: readonly Posting[]): Either<LedgerError, Ledger> {
  const next: Record<Pot, Balances> = { balances: l.balances, escrow: l.escrow };
  const copied: Partial<Record<Pot, Record<string, number>>> = {};
  for (const { agent_id, pot, delta } of postings) {
    if (!hasAccount(l, agent_id)) return left({ kind: 'unknown_account', agent_id });
    const after = roundCredits(creditsIn(next[pot], agent_id) + delta);
    if (after < 0) {
      const available = creditsIn(l[pot], agent_id);
      return left({ kind: 'insufficient_balance', agent_id, required: roundCredits(available - after), available });
    }
    const target = (copied[pot] ??= writableCopy(l[pot]));
    writeAccount(target, agent_id, after);
    next[pot] = target;
  }
  return right(next);
}

/** Validates and rounds an amount first, so that the checks and both sides of a move see the same number. */
function postAmount(l: Ledger, amount: number, postingsFor: (credits: number) => readonly Posting[]): Either<LedgerError, Ledger> {
  if (!isValidAmount(amount)) return left({ kind: 'invalid_amount', amount });
  return post(l, postingsFor(roundCredits(amount)));
}

export function openAccount(l: Ledger, agentId: string, initialBalance: number): Either<LedgerError, Ledger> {
  if (hasAccount(l, agentId)) return left({ kind: 'account_exists', agent_id: agentId });
  if (!isValidAmount(initialBalance)) return left({ kind: 'invalid_amount', amount: initialBalance });
  return right({
    balances: { ...l.balances, [agentId]: roundCredits(initialBalance) },
    escrow: { ...l.escrow, [agentId]: 0 },
  });
}

export interface AccountOpening {
  readonly agent_id: string;
  readonly balance: number;
}

/**
 * Opens a batch of accounts on one copy of the ledger: opening thousands one `openAccount` at a time
 * copies the ledger each time. An account `openAccount` would refuse is left out, and its refusal
 * reported with its position in the batch.
 */
export function openAccounts(
  l: Ledger,
  openings: readonly AccountOpening[],
): { readonly ledger: Ledger; readonly refusals: readonly { readonly index: number; readonly error: LedgerError }[] } {
  const balances = writableCopy(l.balances);
  const escrow = writableCopy(l.escrow);
  const refusals: { index: number; error: LedgerError }[] = [];
  openings.forEach(({ agent_id, balance }, index) => {
    if (Object.hasOwn(balances, agent_id)) refusals.push({ index, error: { kind: 'account_exists', agent_id } });
    else if (!isValidAmount(balance)) refusals.push({ index, error: { kind: 'invalid_amount', amount: balance } });
    else {
      writeAccount(balances, agent_id, roundCredits(balance));
      writeAccount(escrow, agent_id, 0);
    }
  });
  // Listed once, as the pots are handed out: every later copy and sum would otherwise list them afresh.
  accountsOf.set(balances, Object.keys(balances));
  accountsOf.set(escrow, Object.keys(escrow));
  return { ledger: { balances, escrow }, refusals };
}

/** 0 for an unknown account, so that a query never needs an error path. */
export function balanceOf(l: Ledger, agentId: string): number {
  return balanceIn(l.balances, agentId);
}

/** The same query on balances alone, as the ledger's owner shares them. */
export function balanceIn(balances: Balances, agentId: string): number {
  return creditsIn(balances, agentId);
}

export function escrowOf(l: Ledger, agentId: string): number {
  return creditsIn(l.escrow, agentId);
}

export function transfer(l: Ledger, from: string, to: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [
    { agent_id: from, pot: 'balances', delta: -credits },
    { agent_id: to, pot: 'balances', delta: credits },
  ]);
}

export function burn(l: Ledger, agentId: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [{ agent_id: agentId, pot: 'balances', delta: -credits }]);
}

/** Burns a whole batch (an auction's winners) on one copy of the ledger, all or nothing. */
export function burnMany(l: Ledger, burns: readonly { agent_id: string; amount: number }[]): Either<LedgerError, Ledger> {
  const invalid = burns.find(({ amount }) => !isValidAmount(amount));
  if (invalid !== undefined) return left({ kind: 'invalid_amount', amount: invalid.amount });
  return post(
    l,
    burns.map(({ agent_id, amount }) => ({ agent_id, pot: 'balances', delta: -roundCredits(amount) })),
  );
}

/**
 * Creates credits in an account. Only a human reward may create credits (see `reward` in
 * rewards.ts); every other operation moves or removes them.
 */
export function mint(l: Ledger, agentId: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [{ agent_id: agentId, pot: 'balances', delta: credits }]);
}

export function holdInEscrow(l: Ledger, agentId: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [
    { agent_id: agentId, pot: 'balances', delta: -credits },
    { agent_id: agentId, pot: 'escrow', delta: credits },
  ]);
}

/** Returns escrowed credits to the balance; asking for more than is held reports the escrow as `available`. */
export function releaseEscrow(l: Ledger, agentId: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [
    { agent_id: agentId, pot: 'escrow', delta: -credits },
    { agent_id: agentId, pot: 'balances', delta: credits },
  ]);
}

/** Returns several escrows at once, in order, on one copy of the ledger; one refused refuses them all. */
export function releaseMany(l: Ledger, releases: readonly { agent_id: string; amount: number }[]): Either<LedgerError, Ledger> {
  const invalid = releases.find(({ amount }) => !isValidAmount(amount));
  if (invalid !== undefined) return left({ kind: 'invalid_amount', amount: invalid.amount });
  return post(
    l,
    releases.flatMap(({ agent_id, amount }): Posting[] => [
      { agent_id, pot: 'escrow', delta: -roundCredits(amount) },
      { agent_id, pot: 'balances', delta: roundCredits(amount) },
    ]),
  );
}

export function burnEscrow(l: Ledger, agentId: string, amount: number): Either<LedgerError, Ledger> {
  return postAmount(l, amount, (credits) => [{ agent_id: agentId, pot: 'escrow', delta: -credits }]);
}

/** Every credit in the economy: spendable balances plus escrowed attention bids. */
export function totalSupply(l: Ledger): number {
  let total = 0;
  for (const pot of [l.balances, l.escrow]) {
    // In the pot's order either way: a sum of doubles depends on it.
    const agentIds = accountsOf.get(pot);
    if (agentIds === undefined) for (const credits of Object.values(pot)) total += credits;
    else for (let index = 0; index < agentIds.length; index += 1) total += pot[agentIds[index]!]!;
  }
  return roundCredits(total);
}
