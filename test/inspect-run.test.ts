import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import type { DomainEvent } from '../domain/economy/events';
import { loadScenarioFile } from '../harness/scenarios/constructor';
import { inspectRun } from '../harness/inspect/inspect-run';
import { startInspection, type InspectionSession } from '../harness/inspect/inspection';
import { loadScript } from '../harness/scenarios/scripts';
import { scriptedRun, worldFromScenario } from '../harness/replay/world-from-scenario';
import type { WorldConfig } from '../machines/world/config';
import { defineAsyncBrain } from '../machines/brains/async';
import { definitionOf, type BrainLogic } from '../machines/brains/protocol';
import { runWorld } from '../machines/world/world';
import { receiveInspection } from './inspect-receiver';

const SCENARIO = 'scenarios/economic_reasoning/er_002';

function scenarioWorld(): WorldConfig {
  const loaded = loadScenarioFile(`${SCENARIO}.json`);
  const script = loadScript(`${SCENARIO}.reference.script.json`);
  if (isLeft(loaded) || isLeft(script)) throw new Error(`${SCENARIO} does not load`);
  const config = worldFromScenario({ file: loaded.right.file, value: loaded.right.scenario }, scriptedRun(script.right), { seed: 1 });
  if (isLeft(config)) throw new Error(config.left.join('\n'));
  return config.right;
}

/**
 * The same brain as an actor of its own, which its agent prompts through events: an agent asks a
 * brain defined as plain functions in its own steps and places its bids in the market directly, so
 * only an actor brain's bids reach the scheduler as `bid.place` events, which carry the agent's ref.
 */
function asActorBrain(brain: BrainLogic): BrainLogic {
  const definition = definitionOf(brain);
  if (definition === undefined) return brain;
  return defineAsyncBrain((input) => {
    let memory = definition.initial(input);
    return {
      act: async (prompt) => {
        const [next, answer] = definition.act(memory, prompt);
        memory = next;
        return answer;
      },
      notice: (event) => void (memory = definition.notice?.(memory, event) ?? memory),
    };
  });
}

/** Runs every cycle of the world, inspected when given an inspector. */
async function runWorldInspected(config: WorldConfig, inspect: Observer<InspectionEvent> | undefined): Promise<readonly DomainEvent[]> {
  const run = await runWorld(config, { inspect });
  if (isLeft(run)) throw new Error(run.left.join('\n'));
  return run.right.trace;
}

async function session(): Promise<InspectionSession> {
  const started = await startInspection({ port: 0 });
  if (isLeft(started)) throw new Error(started.left);
  return started.right;
}

/** The receiver connects after the run: the bridge replays the whole run to it. */
async function inspectedRun(world = scenarioWorld()): Promise<StatelyInspectionEvent[]> {
  const inspection = await session();
  try {
    await runWorldInspected(world, inspection.inspect);
    await inspection.delivered();
    return await receiveInspection(inspection.socketUrl, inspection.eventCount());
  } finally {
    await inspection.close();
  }
}

const actorNames = (events: readonly StatelyInspectionEvent[]): Map<string, string> =>
  new Map(events.flatMap((event) => (event.type === '@xstate.actor' ? [[event.name, event.sessionId] as const] : [])));

test('every actor of a run reaches the receiver by a readable name, with its snapshots and the events it received', async () => {
  const events = await inspectedRun();
  const actors = actorNames(events);
  const agents = scenarioWorld().agents.map(({ id }) => id);
  // Scripted brains are asked inside their agents: there is no brain actor to show.
  const expected = ['orchestrator', 'scheduler', ...agents.map((id) => `agent:${id}`)];
  assert.equal([...actors.keys()].sort(), [...expected].sort());
  for (const name of expected) {
    const sessionId = actors.get(name);
    const mine = events.filter((event) => event.sessionId === sessionId);
    assert.ok(mine.some(({ type }) => type === '@xstate.snapshot'), `${name} has no snapshot`);
    assert.ok(mine.some(({ type }) => type === '@xstate.event'), `${name} received no event`);
  }
});

interface OrchestratorView {
  readonly roster: { readonly order: readonly string[]; readonly agents: Readonly<Record<string, { readonly ref: unknown }>> };
}

test('snapshots and events show Maps as their entries and actors by their names', async () => {
  const world = scenarioWorld();
  const events = await inspectedRun({ ...world, agents: world.agents.map((agent) => ({ ...agent, brain: asActorBrain(agent.brain) })) });
  const orchestrator = actorNames(events).get('orchestrator');
  const snapshots = events.flatMap((event) => (event.type === '@xstate.snapshot' && event.sessionId === orchestrator ? [event.snapshot] : []));
  const last = snapshots.at(-1);
  assert.ok(last !== undefined && 'context' in last, 'the orchestrator sent no snapshot with a context');
  const { roster } = last.context as OrchestratorView;
  assert.equal(Object.keys(roster.agents), roster.order);
  assert.equal(roster.agents.agent_under_test?.ref, { actor: 'agent:agent_under_test' });
  const bids = events.flatMap((event) => (event.type === '@xstate.event' && event.event.type === 'bid.place' ? [event.event] : []));
  assert.ok(bids.length > 0, 'no bid was placed');
  for (const bid of bids) assert.equal(bid.bidder, { actor: `agent:${bid.agent_id}` });
});

test('inspecting a run does not change it; a run whose root is created without the inspector sends nothing', async () => {
  const inspection = await session();
  try {
    const inspected = await runWorldInspected(scenarioWorld(), inspection.inspect);
    const sent = inspection.eventCount();
    const plain = await runWorldInspected(scenarioWorld(), undefined);
    assert.ok(plain.length > 0, 'the run recorded no event');
    assert.equal(inspected, plain);
    assert.is(inspection.eventCount(), sent);
  } finally {
    await inspection.close();
  }
});

const PAGE = /http:\/\/127\.0\.0\.1:\d+/;

test('inspectRun prints the page, keeps the bridge up after the run until Ctrl-C, then stops it', async () => {
  const lines: string[] = [];
  let pageWhileWaiting: number | undefined;
  const outcome = await inspectRun(async (inspect) => (await runWorldInspected(scenarioWorld(), inspect)).length, {
    bridge: { port: 0 },
    wait: true,
    log(line) {
      lines.push(line);
      if (!line.includes('Ctrl-C')) return;
      void fetch(PAGE.exec(line)?.[0] ?? '')
        .then((response) => void (pageWhileWaiting = response.status), () => undefined)
        .finally(() => process.emit('SIGINT'));
    },
  });
  assert.ok(outcome._tag === 'Right' && outcome.right > 0, 'the run did not return its result');
  assert.is(pageWhileWaiting, 200);
  assert.match(lines[0] ?? '', /^Inspecting the run: open http:\/\/127\.0\.0\.1:\d+ in a browser\.$/);
  assert.match(lines[1] ?? '', /^The run is over \([1-9]\d* inspection events\); its final state stays on http:\/\/127\.0\.0\.1:\d+ until Ctrl-C\.$/);
  const afterwards = await fetch(PAGE.exec(lines[0] ?? '')?.[0] ?? '').then(
    () => 'still serving',
    () => 'stopped',
  );
  assert.is(afterwards, 'stopped');
});

test('inspectRun with --no-wait returns after the run without waiting for Ctrl-C', async () => {
  const lines: string[] = [];
  const outcome = await inspectRun(() => 42, { bridge: { port: 0 }, wait: false, log: (line) => void lines.push(line) });
  assert.equal(outcome, { _tag: 'Right', right: 42 });
  assert.is(lines.length, 2);
  assert.match(lines[1] ?? '', /^The run is over \(\d+ inspection events\) and the bridge on http:\/\/127\.0\.0\.1:\d+ has closed\.$/);
});

test.run();
