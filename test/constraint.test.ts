import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compare, formatConstraint, parseConstraint, type Constraint } from '../domain/benchmark/constraint';
import { leftOf, rightOf } from './fixtures/either';

const parsed = (text: string): Constraint => rightOf(parseConstraint(text), `${text} to parse`);
const rejection = (text: string): string => leftOf(parseConstraint(text), `${text} to be refused`);

test('numbers, with or without spaces, and every comparator', () => {
  assert.equal(parsed('<=500'), { op: '<=', operand: { kind: 'number', value: 500 } });
  assert.equal(parsed(' >= 0.4 '), { op: '>=', operand: { kind: 'number', value: 0.4 } });
  assert.equal(parsed('== 3'), { op: '==', operand: { kind: 'number', value: 3 } });
  assert.equal(parsed('!=-2'), { op: '!=', operand: { kind: 'number', value: -2 } });
  assert.equal(parsed('<1').op, '<');
  assert.equal(parsed('>1').op, '>');
});

test('percentages keep the number as written', () => {
  assert.equal(parsed('>= 10%'), { op: '>=', operand: { kind: 'percent', value: 10 } });
  assert.equal(parsed('>=2.5 %'), { op: '>=', operand: { kind: 'percent', value: 2.5 } });
});

test('baseline and label references', () => {
  assert.equal(parsed('>= baseline'), { op: '>=', operand: { kind: 'baseline' } });
  assert.equal(parsed('< first_attempt.total_cost'), {
    op: '<',
    operand: { kind: 'reference', label: 'first_attempt', field: 'total_cost' },
  });
  assert.equal(parsed('<first_attempt.data.bundle.cpu').operand, {
    kind: 'reference',
    label: 'first_attempt',
    field: 'data.bundle.cpu',
  });
});

test('a missing or unknown comparator says what was expected', () => {
  assert.is(
    rejection('500'),
    'expected a comparator (<, <=, >, >=, ==, !=) followed by a number, a percentage (10%), `baseline` or `label.field`, got "500"',
  );
  assert.match(rejection('=> 5'), /^expected a comparator/);
  assert.match(rejection(''), /^expected a comparator/);
});

test('a bad operand names the comparator and the operand', () => {
  assert.is(
    rejection('<= lots'),
    'expected a number, a percentage (10%), `baseline` or `label.field` after "<=", got "lots"',
  );
  assert.match(rejection('<='), /got ""$/);
  assert.match(rejection('< first_attempt.'), /got "first_attempt\."/);
  assert.match(rejection('>= 10%%'), /got "10%%"/);
});

test('compare applies each comparator', () => {
  assert.ok(compare('<', 1, 2));
  assert.not.ok(compare('<', 2, 2));
  assert.ok(compare('<=', 2, 2));
  assert.not.ok(compare('<=', 3, 2));
  assert.ok(compare('>', 3, 2));
  assert.not.ok(compare('>', 2, 2));
  assert.ok(compare('>=', 2, 2));
  assert.not.ok(compare('>=', 1, 2));
  assert.ok(compare('==', 2, 2));
  assert.not.ok(compare('==', 1, 2));
  assert.ok(compare('!=', 1, 2));
  assert.not.ok(compare('!=', 2, 2));
});

test('formatConstraint writes a parsed constraint back', () => {
  assert.is(formatConstraint(parsed('<first_attempt.total_cost')), '< first_attempt.total_cost');
  assert.is(formatConstraint(parsed('>=10%')), '>= 10%');
});

test.run();
