import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import { conditionNames, evaluateCondition, parseCondition, type Condition, type ConditionEnvironment } from '../domain/benchmark/condition';
import { leftOf, rightOf } from './fixtures/either';

const parsed = (text: string): Condition => rightOf(parseCondition(text), `${text} to parse`);
const rejection = (text: string): string => leftOf(parseCondition(text), `${text} to be refused`);

const p = (name: string): Condition => ({ kind: 'predicate', name });

function environment(truths: Record<string, boolean>, values: Record<string, number> = {}): ConditionEnvironment {
  return { truth: (name) => truths[name] ?? false, value: (name) => values[name] };
}

test('a single name is a predicate', () => {
  assert.equal(parsed('second_attempt_succeeded'), p('second_attempt_succeeded'));
});

test('AND binds tighter than OR, NOT tighter than AND', () => {
  assert.equal(parsed('a OR b AND c'), { kind: 'or', operands: [p('a'), { kind: 'and', operands: [p('b'), p('c')] }] });
  assert.equal(parsed('NOT a AND b'), { kind: 'and', operands: [{ kind: 'not', operand: p('a') }, p('b')] });
  assert.equal(parsed('a AND b OR c'), { kind: 'or', operands: [{ kind: 'and', operands: [p('a'), p('b')] }, p('c')] });
});

test('parentheses override precedence; chains flatten', () => {
  assert.equal(parsed('(a OR b) AND c'), { kind: 'and', operands: [{ kind: 'or', operands: [p('a'), p('b')] }, p('c')] });
  assert.equal(parsed('a AND b AND c'), { kind: 'and', operands: [p('a'), p('b'), p('c')] });
  assert.equal(parsed('NOT NOT a'), { kind: 'not', operand: { kind: 'not', operand: p('a') } });
});

test('comparisons between names and numbers', () => {
  assert.equal(parsed('judge_score >= threshold'), {
    kind: 'comparison',
    op: '>=',
    left: { kind: 'name', name: 'judge_score' },
    right: { kind: 'name', name: 'threshold' },
  });
  assert.equal(parsed('judge_score>3.5'), {
    kind: 'comparison',
    op: '>',
    left: { kind: 'name', name: 'judge_score' },
    right: { kind: 'number', value: 3.5 },
  });
  assert.equal(parsed('NOT judge_score == 3'), {
    kind: 'not',
    operand: { kind: 'comparison', op: '==', left: { kind: 'name', name: 'judge_score' }, right: { kind: 'number', value: 3 } },
  });
});

test('syntax errors name the column and what was expected', () => {
  assert.is(rejection(''), 'at column 1: expected a name, a number, NOT or "(", got the end of the condition');
  assert.is(rejection('a AND'), 'at column 6: expected a name, a number, NOT or "(", got the end of the condition');
  assert.is(rejection('(a OR b'), 'at column 8: expected ")", got the end of the condition');
  assert.is(rejection('a b'), 'at column 3: expected AND, OR or the end of the condition, got "b"');
  assert.is(rejection('a and b'), 'at column 3: expected AND, OR or the end of the condition, got "and"');
  assert.is(rejection('3 AND a'), 'at column 3: expected a comparator after the number 3, got "AND"');
  assert.is(rejection('a >= '), 'at column 6: expected a name, a number, NOT or "(", got the end of the condition');
  assert.match(rejection('a = b'), /^at column 3: unexpected character "=" \(did you mean ==\?\)/);
  assert.match(rejection('a && b'), /^at column 3: unexpected character "&"/);
});

test('code is never evaluated: JavaScript is a syntax error, not a call', () => {
  let called = false;
  (globalThis as Record<string, unknown>).__conditionProbe = () => {
    called = true;
  };
  assert.ok(isLeft(parseCondition('__conditionProbe()')));
  assert.ok(isLeft(parseCondition('a; __conditionProbe()')));
  assert.not.ok(called);
  delete (globalThis as Record<string, unknown>).__conditionProbe;
});

test('conditionNames lists each name once, in order, including compared names', () => {
  assert.equal(conditionNames(parsed('a AND (b OR NOT a) AND judge_score >= threshold AND 1 < c')), [
    'a',
    'b',
    'judge_score',
    'threshold',
    'c',
  ]);
});

test('evaluation follows precedence and explains every name', () => {
  const outcome = evaluateCondition(parsed('correct_sequence AND all_services_succeeded'), environment({ correct_sequence: true }));
  assert.equal(outcome, { holds: false, explanation: 'correct_sequence=true AND all_services_succeeded=false' });
  const either = evaluateCondition(parsed('a OR b AND c'), environment({ a: true }));
  assert.equal(either, { holds: true, explanation: 'a=true OR (b=false AND c=false)' });
  const negated = evaluateCondition(parsed('NOT (a OR b)'), environment({ b: true }));
  assert.equal(negated, { holds: false, explanation: 'NOT (a=false OR b=true)' });
});

test('comparisons show both sides; a missing value never holds', () => {
  const passes = evaluateCondition(parsed('judge_score >= threshold'), environment({}, { judge_score: 10 / 3, threshold: 3 }));
  assert.equal(passes, { holds: true, explanation: 'judge_score=3.3333 >= threshold=3' });
  const fails = evaluateCondition(parsed('judge_score >= threshold'), environment({}, { judge_score: 2.5, threshold: 3 }));
  assert.equal(fails, { holds: false, explanation: 'judge_score=2.5 >= threshold=3' });
  const missing = evaluateCondition(parsed('judge_score != 3'), environment({}, {}));
  assert.equal(missing, { holds: false, explanation: 'judge_score=(no value) != 3' });
});

test.run();
