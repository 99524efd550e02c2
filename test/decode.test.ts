import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue, strictObject } from '../domain/codec/decode';

const issuesOf = (codec: t.Decoder<unknown, unknown>, input: unknown) => {
  const result = decodeWith(codec, input);
  return isLeft(result) ? result.left.map(formatIssue) : [];
};

test('paths go through refinements, arrays and nested objects to the failing element', () => {
  const codec = t.type({ xs: t.refinement(t.array(t.number), (xs) => xs.length > 0, 'a non-empty list') });
  assert.equal(issuesOf(codec, { xs: [1, 'two'] }), ['$.xs[1]: expected number, got "two"']);
  assert.equal(issuesOf(codec, { xs: [] }), ['$.xs: expected a non-empty list, got []']);
});

test('intersection and union members leave no index in the path, and a union reads as one expectation', () => {
  const codec = t.intersection([t.type({ a: t.string }), t.partial({ b: t.union([t.number, t.null]) })]);
  assert.equal(issuesOf(codec, { a: 1, b: 'x' }), ['$.a: expected string, got 1', '$.b: expected number or null, got "x"']);
});

test('a strict object names each unknown key, and still reports its own field errors', () => {
  const codec = strictObject('Point', { x: t.number }, { label: t.string });
  assert.equal(issuesOf(codec, { x: 1, label: 'p' }), []);
  assert.equal(issuesOf(codec, { x: 'one', y: 2 }), [
    '$.x: expected number, got "one"',
    '$.y: expected no other key (known keys: x, label), got 2',
  ]);
  assert.equal(issuesOf(codec, [1]), ['$: expected an object (Point), got [1]']);
});

test.run();
