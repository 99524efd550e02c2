import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, createMachine } from 'xstate';
import { readable, type ActorLike } from '../harness/inspect/readable';

const byId = (actor: ActorLike): string => `named:${actor.sessionId}`;

test('Maps become objects of their entries and Sets arrays, however deep', () => {
  const value = { roster: { agents: new Map([['alice', { sleeping: new Set(['cpu']) }]]) } };
  assert.equal(readable(value, byId), { roster: { agents: { alice: { sleeping: ['cpu'] } } } });
});

test('an actor becomes its name, a function is left out, plain data stays as it is', () => {
  const actor = createActor(createMachine({ id: 'm' }));
  const value = { ref: actor, emit: () => 1, list: [1, 'a', null, true], nested: { n: 2 } };
  assert.equal(readable(value, byId), { ref: { actor: `named:${actor.sessionId}` }, list: [1, 'a', null, true], nested: { n: 2 } });
});

test('a machine snapshot shows what its toJSON gives, not its machine', () => {
  const actor = createActor(createMachine({ id: 'm', context: { count: 1 }, initial: 'idle', states: { idle: {} } }));
  const shown = readable(actor.getSnapshot(), byId) as Record<string, unknown>;
  assert.is(shown.value, 'idle');
  assert.equal(shown.context, { count: 1 });
  assert.not.ok('machine' in shown);
});

test('a value that contains itself is cut where it repeats; a value shared by siblings is not', () => {
  const shared = { n: 1 };
  const looping: Record<string, unknown> = { shared, again: shared };
  looping.self = looping;
  assert.equal(readable(looping, byId), { shared: { n: 1 }, again: { n: 1 }, self: '[Circular]' });
});

test.run();
