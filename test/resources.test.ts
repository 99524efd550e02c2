import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { BundleRequest, normaliseBundle, ResourceBundle } from '../domain/economy/resources';

test('capacity fractions pass through, and missing resources are 0', () => {
  assert.equal(normaliseBundle({ cpu: 0.5, attention: 1, duration_seconds: 30 }), {
    bundle: { cpu: 0.5, memory: 0, tokens: 0, attention: 1, duration_seconds: 30 },
  });
});

test('the older units convert to fractions of capacity', () => {
  assert.equal(normaliseBundle({ tokens: 250_000, cpu_seconds: 5, memory_mb: 512, duration_seconds: 60 }), {
    bundle: { cpu: 0.5, memory: 0.5, tokens: 0.25, attention: 0, duration_seconds: 60 },
  });
});

test('exactly the whole capacity is allowed', () => {
  const result = normaliseBundle({ tokens: 1_000_000, cpu_seconds: 10, memory_mb: 1024, attention: 1, duration_seconds: 1 });
  assert.equal(result, { bundle: { cpu: 1, memory: 1, tokens: 1, attention: 1, duration_seconds: 1 } });
});

test('more than the whole capacity is an error naming the resource', () => {
  assert.equal(normaliseBundle({ tokens: 1_500_000, duration_seconds: 10 }), { error: { resource: 'tokens', fraction: 1.5 } });
  assert.equal(normaliseBundle({ cpu_seconds: 20, duration_seconds: 10 }), { error: { resource: 'cpu', fraction: 2 } });
  assert.equal(normaliseBundle({ memory_mb: 2048, duration_seconds: 10 }), { error: { resource: 'memory', fraction: 2 } });
  assert.equal(normaliseBundle({ attention: 1.2, duration_seconds: 10 }), { error: { resource: 'attention', fraction: 1.2 } });
});

test('a fraction and its older unit for the same resource add up', () => {
  assert.equal(normaliseBundle({ cpu: 0.5, cpu_seconds: 6, duration_seconds: 10 }), { error: { resource: 'cpu', fraction: 1.1 } });
});

test('a request needs a positive duration and non-negative amounts', () => {
  assert.ok(isRight(BundleRequest.decode({ tokens: 500, duration_seconds: 1 })));
  assert.ok(isLeft(BundleRequest.decode({ tokens: 500 })));
  assert.ok(isLeft(BundleRequest.decode({ cpu: 0.5, duration_seconds: 0 })));
  assert.ok(isLeft(BundleRequest.decode({ cpu: -0.5, duration_seconds: 10 })));
  assert.ok(isLeft(BundleRequest.decode({ memory_mb: Number.POSITIVE_INFINITY, duration_seconds: 10 })));
});

test('a normalised bundle holds fractions between 0 and 1 only', () => {
  assert.ok(ResourceBundle.is({ cpu: 1, memory: 0, tokens: 0.5, attention: 0, duration_seconds: 5 }));
  assert.not.ok(ResourceBundle.is({ cpu: 1.01, memory: 0, tokens: 0.5, attention: 0, duration_seconds: 5 }));
  assert.not.ok(ResourceBundle.is({ cpu: 1, memory: 0, tokens: 0.5, attention: 0, duration_seconds: -5 }));
});

test.run();
