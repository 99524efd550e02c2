import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { COMPARATORS, compare, formatNumber, type Comparator } from './constraint';

/**
 * The `success_condition` language: predicate names joined by `AND`, `OR`, `NOT` and parentheses,
 * and comparisons `name|number OP name|number` (e.g. `judge_score >= threshold`). Tokenised and
 * parsed by recursive descent (precedence NOT > AND > OR), never evaluated as code.
 *
 *   or         := and ("OR" and)*
 *   and        := unary ("AND" unary)*
 *   unary      := "NOT" unary | primary
 *   primary    := "(" or ")" | operand (comparator operand)?
 *   operand    := name | number
 */

export type ConditionOperand = { kind: 'name'; name: string } | { kind: 'number'; value: number };

export type Condition =
  | { kind: 'predicate'; name: string }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and'; operands: readonly Condition[] }
  | { kind: 'or'; operands: readonly Condition[] }
  | { kind: 'comparison'; op: Comparator; left: ConditionOperand; right: ConditionOperand };

type Token =
  | { kind: 'name'; text: string; column: number }
  | { kind: 'number'; text: string; column: number }
  | { kind: 'comparator'; text: Comparator; column: number }
  | { kind: 'AND' | 'OR' | 'NOT' | '(' | ')'; text: string; column: number }
  | { kind: 'end'; text: ''; column: number };

const KEYWORDS = ['AND', 'OR', 'NOT'] as const;
const NAME = /^[A-Za-z_]\w*/;
const NUMBER = /^\d+(\.\d+)?/;

class ConditionSyntaxError extends Error {}

function syntaxError(column: number, message: string): ConditionSyntaxError {
  return new ConditionSyntaxError(`at column ${column}: ${message}`);
}

/** The token at the start of `rest`, which begins at `column` of the condition. */
function readToken(rest: string, column: number): Token {
  const name = NAME.exec(rest)?.[0];
  if (name !== undefined) {
    const keyword = KEYWORDS.find((candidate) => candidate === name);
    return keyword ? { kind: keyword, text: name, column } : { kind: 'name', text: name, column };
  }
  const number = NUMBER.exec(rest)?.[0];
  if (number !== undefined) return { kind: 'number', text: number, column };
  const comparator = COMPARATORS.find((candidate) => rest.startsWith(candidate));
  if (comparator !== undefined) return { kind: 'comparator', text: comparator, column };
  const character = rest[0];
  if (character === '(' || character === ')') return { kind: character, text: character, column };
  const hint = character === '=' ? ' (did you mean ==?)' : '';
  throw syntaxError(
    column,
    `unexpected character ${JSON.stringify(character)}${hint}; expected a name, a number, AND, OR, NOT, a parenthesis or a comparator`,
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const space = /^\s+/.exec(text.slice(index));
    if (space) {
      index += space[0].length;
      continue;
    }
    const token = readToken(text.slice(index), index + 1);
    tokens.push(token);
    index += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

function describeToken(token: Token): string {
  return token.kind === 'end' ? 'the end of the condition' : JSON.stringify(token.text);
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Condition {
    const condition = this.parseOr();
    if (this.peek().kind !== 'end') throw this.unexpected('AND, OR or the end of the condition');
    return condition;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private advance(): void {
    if (this.peek().kind !== 'end') this.position += 1;
  }

  private unexpected(expected: string): ConditionSyntaxError {
    const token = this.peek();
    return syntaxError(token.column, `expected ${expected}, got ${describeToken(token)}`);
  }

  private parseOr(): Condition {
    return this.parseChain('OR', () => this.parseAnd());
  }

  private parseAnd(): Condition {
    return this.parseChain('AND', () => this.parseUnary());
  }

  /** `operand (KEYWORD operand)*`, flattened into one node when there is more than one operand. */
  private parseChain(keyword: 'AND' | 'OR', parseOperand: () => Condition): Condition {
    const operands = [parseOperand()];
    while (this.peek().kind === keyword) {
      this.advance();
      operands.push(parseOperand());
    }
    if (operands.length === 1) return operands[0]!;
    return keyword === 'AND' ? { kind: 'and', operands } : { kind: 'or', operands };
  }

  private parseUnary(): Condition {
    if (this.peek().kind !== 'NOT') return this.parsePrimary();
    this.advance();
    return { kind: 'not', operand: this.parseUnary() };
  }

  private parsePrimary(): Condition {
    if (this.peek().kind === '(') {
      this.advance();
      const inner = this.parseOr();
      if (this.peek().kind !== ')') throw this.unexpected('")"');
      this.advance();
      return inner;
    }
    const first = this.parseOperand();
    const next = this.peek();
    if (next.kind !== 'comparator') {
      if (first.kind === 'number') throw this.unexpected(`a comparator after the number ${first.value}`);
      return { kind: 'predicate', name: first.name };
    }
    this.advance();
    return { kind: 'comparison', op: next.text, left: first, right: this.parseOperand() };
  }

  private parseOperand(): ConditionOperand {
    const token = this.peek();
    if (token.kind === 'name') {
      this.advance();
      return { kind: 'name', name: token.text };
    }
    if (token.kind === 'number') {
      this.advance();
      return { kind: 'number', value: Number(token.text) };
    }
    throw this.unexpected('a name, a number, NOT or "("');
  }
}

export function parseCondition(text: string): Either<string, Condition> {
  try {
    return right(new Parser(tokenize(text)).parseAll());
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return left(error.message);
    throw error;
  }
}

/** Every name the condition mentions, predicates and compared values alike, each once, in order. */
export function conditionNames(condition: Condition): string[] {
  const names = (node: Condition): string[] => {
    switch (node.kind) {
      case 'predicate':
        return [node.name];
      case 'not':
        return names(node.operand);
      case 'and':
      case 'or':
        return node.operands.flatMap(names);
      case 'comparison':
        return [node.left, node.right].flatMap((operand) => (operand.kind === 'name' ? [operand.name] : []));
    }
  };
  return [...new Set(names(condition))];
}

/** What the names of a condition mean: a predicate's truth, a compared name's number. */
export interface ConditionEnvironment {
  truth(name: string): boolean;
  /** `undefined` when the value could not be computed; a comparison with it does not hold. */
  value(name: string): number | undefined;
}

export interface ConditionOutcome {
  holds: boolean;
  /** The condition with each name's value, e.g. `correct_sequence=true AND all_services_succeeded=false`. */
  explanation: string;
}

function explainOperand(operand: ConditionOperand, environment: ConditionEnvironment) {
  if (operand.kind === 'number') return { value: operand.value, text: String(operand.value) };
  const value = environment.value(operand.name);
  return { value, text: `${operand.name}=${value === undefined ? '(no value)' : formatNumber(value)}` };
}

function isCompound(condition: Condition): boolean {
  return condition.kind !== 'predicate' && condition.kind !== 'not';
}

/** Evaluates every name, without short-circuiting, so that the explanation shows all of them. */
export function evaluateCondition(condition: Condition, environment: ConditionEnvironment): ConditionOutcome {
  const evaluate = (node: Condition, parentKind: Condition['kind'] | undefined): ConditionOutcome => {
    const outcome = evaluateNode(node);
    const needsParentheses = parentKind !== undefined && isCompound(node) && parentKind !== node.kind;
    return needsParentheses ? { ...outcome, explanation: `(${outcome.explanation})` } : outcome;
  };
  const evaluateNode = (node: Condition): ConditionOutcome => {
    switch (node.kind) {
      case 'predicate': {
        const holds = environment.truth(node.name);
        return { holds, explanation: `${node.name}=${holds}` };
      }
      case 'not': {
        const inner = evaluate(node.operand, 'not');
        return { holds: !inner.holds, explanation: `NOT ${inner.explanation}` };
      }
      case 'and':
      case 'or': {
        const parts = node.operands.map((operand) => evaluate(operand, node.kind));
        const holds = node.kind === 'and' ? parts.every((part) => part.holds) : parts.some((part) => part.holds);
        return { holds, explanation: parts.map((part) => part.explanation).join(` ${node.kind.toUpperCase()} `) };
      }
      case 'comparison': {
        const lhs = explainOperand(node.left, environment);
        const rhs = explainOperand(node.right, environment);
        const holds = lhs.value !== undefined && rhs.value !== undefined && compare(node.op, lhs.value, rhs.value);
        return { holds, explanation: `${lhs.text} ${node.op} ${rhs.text}` };
      }
    }
  };
  return evaluate(condition, undefined);
}
