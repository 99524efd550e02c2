import { left, right, type Either } from 'fp-ts/lib/Either.js';

/**
 * The constraint language of scenario rules: a comparator and one operand, e.g. `<=500`,
 * `< first_attempt.total_cost`, `>= 10%`, `>= baseline`.
 */

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** Two-character comparators first, so that `<=` is never read as `<` followed by `=`. */
export const COMPARATORS: readonly Comparator[] = ['<=', '>=', '==', '!=', '<', '>'];

export type ConstraintOperand =
  | { kind: 'number'; value: number }
  /** `value` as written: `10%` is 10. */
  | { kind: 'percent'; value: number }
  | { kind: 'baseline' }
  /** `label.field`: the field of the event bound earlier by `label`; `field` may itself be a path. */
  | { kind: 'reference'; label: string; field: string };

export interface Constraint {
  op: Comparator;
  operand: ConstraintOperand;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const PERCENT = /^(-?\d+(\.\d+)?)\s*%$/;
const REFERENCE = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*(\.[A-Za-z_]\w*)*)$/;

const EXPECTED =
  'a comparator (<, <=, >, >=, ==, !=) followed by a number, a percentage (10%), `baseline` or `label.field`';

function parseOperand(text: string): ConstraintOperand | undefined {
  if (NUMBER.test(text)) return { kind: 'number', value: Number(text) };
  const percent = PERCENT.exec(text);
  if (percent) return { kind: 'percent', value: Number(percent[1]) };
  if (text === 'baseline') return { kind: 'baseline' };
  const reference = REFERENCE.exec(text);
  if (reference) return { kind: 'reference', label: reference[1]!, field: reference[2]! };
  return undefined;
}

export function parseConstraint(text: string): Either<string, Constraint> {
  const trimmed = text.trim();
  const op = COMPARATORS.find((comparator) => trimmed.startsWith(comparator));
  if (op === undefined) return left(`expected ${EXPECTED}, got ${JSON.stringify(text)}`);
  const operandText = trimmed.slice(op.length).trim();
  const operand = parseOperand(operandText);
  if (operand === undefined) {
    return left(
      `expected a number, a percentage (10%), \`baseline\` or \`label.field\` after "${op}", got ${JSON.stringify(operandText)}`,
    );
  }
  return right({ op, operand });
}

export function compare(op: Comparator, lhs: number, rhs: number): boolean {
  switch (op) {
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '==':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}

export function formatOperand(operand: ConstraintOperand): string {
  switch (operand.kind) {
    case 'number':
      return formatNumber(operand.value);
    case 'percent':
      return `${operand.value}%`;
    case 'baseline':
      return 'baseline';
    case 'reference':
      return `${operand.label}.${operand.field}`;
  }
}

export function formatConstraint(constraint: Constraint): string {
  return `${constraint.op} ${formatOperand(constraint.operand)}`;
}

/** Numbers in explanations: at most four decimals, so that a mean reads as 3.3333, not 3.3333333333333335. */
export function formatNumber(value: number): string {
  return String(Number(value.toFixed(4)));
}
