import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import type { DomainEvent } from '../domain/economy/events';
import { balancesByCycle } from '../harness/report/html/balances';
import { citedEvents } from '../harness/report/html/citations';
import { machineGraph } from '../machines';
import { stateDiagram } from '../harness/view/state-diagram';
import { viewerHtml } from '../harness/view/viewer-html';

/** The viewer's parts computed on the server: what a check cites, balances by cycle, a machine's graph and its diagram, the page's shell. */

const CYCLE_1 = '2026-01-01T01:00:00.000001Z';

function event(position: number, type: string, data: Record<string, unknown>, envelope: Partial<DomainEvent> = {}): DomainEvent {
  const source = ['tool_call_initiated', 'tool_call_completed', 'reasoning_trace', 'reflection'].includes(type) ? 'agent' : type === 'judge_evaluation' ? 'judge' : 'system';
  return {
    event_id: `evt-${String(position).padStart(6, '0')}`,
    timestamp: `2026-01-01T00:00:00.000${String(position).padStart(3, '0')}Z`,
    source,
    type,
    scenario_id: 's',
    agent_id: typeof data.agent_id === 'string' ? data.agent_id : 'agent_under_test',
    data,
    ...envelope,
  } as DomainEvent;
}

const trace: DomainEvent[] = [
  event(1, 'agent_created', { agent_id: 'agent_under_test', initial_balance: 100 }),
  event(2, 'agent_created', { agent_id: 'competitor_1', initial_balance: 50 }),
  event(3, 'agent_created', { agent_id: 'oracle', initial_balance: 10 }),
  event(4, 'service_registered', { agent_id: 'oracle', service_name: 'forecast', advertised_cost: 5 }),
  event(5, 'bid_placed', { agent_id: 'agent_under_test', bid_id: 'bid-1', bundle: { cpu: 0.5, duration_seconds: 60 }, total_cost: 30 }, { timestamp: CYCLE_1 }),
  event(6, 'credits_burned', { agent_id: 'agent_under_test', amount: 30, reason: 'resource_purchase' }, { timestamp: CYCLE_1 }),
  event(7, 'credits_transferred', { from_agent: 'agent_under_test', to_agent: 'oracle', amount: 5, purpose: 'service' }, { timestamp: CYCLE_1 }),
  event(8, 'reasoning_trace', { content: 'the forecast was worth it', decision: null }, { timestamp: CYCLE_1 }),
  event(9, 'price_update', { resource: 'cpu', old_price: 1, new_price: 2, reason: 'cleared' }, { timestamp: CYCLE_1, agent_id: 'system' }),
];

test('citations: a check cites the events its detail names by position and id', () => {
  const cited = citedEvents([{ name: 'required_events[0]', passed: true, detail: '{"type":"bid_placed"} matched #5 evt-000005' }], trace);
  assert.equal([...cited], [[4, [{ check: 'required_events[0]', passed: true }]]]);
});

test('citations: a wrong id at a position, and the position a search started after, cite nothing', () => {
  const checks = [
    { name: 'a', passed: true, detail: 'matched #5 evt-000009' },
    { name: 'b', passed: false, detail: 'found no match: no bid_placed event after #6 evt-000006' },
  ];
  assert.equal(citedEvents(checks, trace).size, 0);
});

test('balances: each agent at the end of every cycle, from creations, burns and transfers', () => {
  assert.equal(balancesByCycle(trace), [
    { agent_id: 'agent_under_test', points: [{ cycle: 0, balance: 100 }, { cycle: 1, balance: 65 }] },
    { agent_id: 'competitor_1', points: [{ cycle: 0, balance: 50 }, { cycle: 1, balance: 50 }] },
    { agent_id: 'oracle', points: [{ cycle: 0, balance: 10 }, { cycle: 1, balance: 15 }] },
  ]);
});

test('balances: a spawn moves the endowment from the parent to the child; a reward adds credits', () => {
  const spawning = [
    event(1, 'agent_created', { agent_id: 'agent_under_test', initial_balance: 100 }),
    event(2, 'agent_spawned', { parent_id: 'agent_under_test', child_id: 'kid', spawn_cost: 10, model_tier: 'small', initial_balance: 40 }),
    event(3, 'agent_created', { agent_id: 'kid', initial_balance: 40 }),
    event(4, 'human_reward_issued', { agent_id: 'kid', scores: { interesting: 1, useful: 0, understandable: 0 }, credits_awarded: 50 }),
  ];
  assert.equal(
    balancesByCycle(spawning).map(({ agent_id, points }) => [agent_id, points.at(-1)?.balance]),
    [['agent_under_test', 60], ['kid', 90]],
  );
});

const door = createMachine({
  id: 'door',
  initial: 'closed',
  on: { 'door.smash': '.broken' },
  states: {
    closed: { on: { open: { guard: 'unlocked', target: 'open' }, knock: {} } },
    open: { initial: 'swinging', always: { target: 'closed' }, states: { swinging: {} } },
    broken: { type: 'final' },
  },
});

test('machine graph: every state with its depth, initial and final marks; every transition with its guard, staying ones too', () => {
  const graph = machineGraph(door);
  assert.equal(
    graph.states.map(({ path, depth, initial, final }) => `${path}/${depth}${initial ? '/initial' : ''}${final ? '/final' : ''}`),
    ['/0', 'closed/1/initial', 'open/1', 'open.swinging/2/initial', 'broken/1/final'],
  );
  assert.equal(graph.transitions, [
    { id: 'door door.smash[0] -> door.broken', source: '', event: 'door.smash', guard: undefined, targets: ['door.broken'], target: 'broken' },
    { id: 'door.closed open[0] -> door.open', source: 'closed', event: 'open', guard: 'unlocked', targets: ['door.open'], target: 'open' },
    { id: 'door.closed knock[0] -> (stays)', source: 'closed', event: 'knock', guard: undefined, targets: [], target: undefined },
    { id: 'door.open always[0] -> door.closed', source: 'open', event: 'always', guard: undefined, targets: ['door.closed'], target: 'closed' },
  ]);
});

test('state diagram: ELK lays out every state (nested ones inside their parent) and every transition that leaves its state; staying ones are listed', async () => {
  const diagram = await stateDiagram(machineGraph(door));
  assert.equal([...diagram.svg.matchAll(/data-state="([^"]*)"/g)].map((match) => match[1]), ['closed', 'open', 'open.swinging', 'broken', '']);
  assert.is(diagram.svg.match(/<g class="transition">/g)?.length, 3);
  assert.match(diagram.svg, />open \[unlocked\]</);
  assert.equal(diagram.inPlace, [{ state: 'closed', events: ['knock'] }]);
  const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(diagram.svg) ?? [];
  assert.ok(Number(width) > 0 && Number(height) > 0);
});

test('viewer page: its data cannot close its script element, and the policy forbids loads from elsewhere', () => {
  const assets = { script: 'void 0', style: '' };
  const data = { start: '#/</script><script>alert(1)</script>', runs: [], runViews: {}, samples: {}, machines: [], comparisons: {} };
  const page = viewerHtml(assets, 'runs <of> agents', data);
  assert.not.ok(page.includes('</script><script>alert'));
  assert.ok(page.includes('\\u003c/script>\\u003cscript>alert(1)'));
  assert.ok(page.includes('<title>runs &#60;of&#62; agents</title>'));
  assert.match(page, /content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"/);
  assert.match(viewerHtml(assets, 'served'), /connect-src 'self'"/);
});

test.run();
