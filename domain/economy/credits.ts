import * as t from 'io-ts';

/** Credits are kept to micro-credits so that sums of many operations stay exact to 1e-6. */
export const MICRO_CREDITS_PER_CREDIT = 1_000_000;

/** Dividing the whole number of micro-credits (not multiplying by 1e-6) gives the closest double to the decimal. */
export function roundCredits(amount: number): number {
  return Math.round(amount * MICRO_CREDITS_PER_CREDIT) / MICRO_CREDITS_PER_CREDIT;
}

/** An amount of credits an operation may move: finite and not negative (zero is a valid no-op). */
export function isValidAmount(amount: number): boolean {
  return Number.isFinite(amount) && amount >= 0;
}

/** An amount of credits as an argument or a field: finite and not negative. */
export const Credits = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a non-negative number of credits');
/** An amount of credits that must move something: finite and above zero. */
export const PositiveCredits = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'a positive number of credits');
