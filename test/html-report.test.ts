import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import type { DomainEvent } from '../domain/events';
import { balancesByCycle } from '../harness/report/html/balances';
import { citedEvents } from '../harness/report/html/citations';
import { escapeHtml } from '../harness/report/html/escape';
import { arrowOf, lanesOf } from '../harness/report/html/lanes';
import { machineGraph } from '../machines';
import { renderHtmlReport, type ReportRun } from '../harness/report/html/render';

/** The report's parts: who plays which lane, what a check cites, balances by cycle, a machine's graph, the page. */

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

const laneIds = new Set(lanesOf(trace, 'agent_under_test').map((lane) => lane.id));

test('lanes: the agent under test first, then competitors and providers as the trace shows them, then the system and the judge', () => {
  assert.equal(
    lanesOf(trace, 'agent_under_test').map((lane) => `${lane.id}:${lane.role}`),
    ['agent_under_test:agent under test', 'competitor_1:competitor', 'oracle:provider', 'scheduler:scheduler', 'orchestrator:orchestrator', 'judge:judge'],
  );
});

test('lanes: a provider outside the world gets its lane from the services it gives', () => {
  const outside = [event(1, 'service_invoked', { caller_agent: 'agent_under_test', provider_agent: 'agent_x', service_name: 'fetch', cost: 5, result: 'success' })];
  assert.equal(
    lanesOf(outside, 'agent_under_test').slice(0, 2).map((lane) => `${lane.id}:${lane.role}`),
    ['agent_under_test:agent under test', 'agent_x:provider'],
  );
});

test('arrows: the scheduler and the orchestrator address the agent concerned; money moves between agents; an agent acts on its own lane', () => {
  assert.equal(arrowOf(trace[4]!, laneIds), { from: 'scheduler', to: 'agent_under_test' });
  assert.equal(arrowOf(trace[5]!, laneIds), { from: 'orchestrator', to: 'agent_under_test' });
  assert.equal(arrowOf(trace[6]!, laneIds), { from: 'agent_under_test', to: 'oracle' });
  assert.equal(arrowOf(trace[7]!, laneIds), { from: 'agent_under_test', to: 'agent_under_test' });
  assert.equal(arrowOf(trace[8]!, laneIds), { from: 'scheduler', to: 'scheduler' });
});

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

const hostileDetail = '<script>alert("x")</script> & \'quoted\'';
const runs: ReportRun[] = [
  {
    verdict: {
      id: 'fc_900',
      domain: 'functional_competence',
      passed: false,
      checks: [
        { name: 'required_events[0]', passed: true, detail: 'matched #5 evt-000005' },
        { name: 'forbidden_events[0]', passed: false, detail: `${hostileDetail} matched #7 evt-000007` },
      ],
    },
    trace,
  },
];
const page = renderHtmlReport(runs, { machines: [door], title: 'report <of> runs' });

test('page: all text escaped, no markup from a run reaches the page', () => {
  assert.is(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  assert.ok(page.includes(escapeHtml(hostileDetail)));
  assert.not.ok(page.includes('<script>alert'));
  assert.ok(page.includes('<title>report &#60;of&#62; runs</title>'));
});

test('page: the totals and the first failing check come first; failing checks lead the scenario', () => {
  const summary = page.indexOf('class="summary"');
  const overview = page.indexOf('class="overview"');
  const section = page.indexOf('<section');
  assert.ok(summary > 0 && summary < overview && overview < section);
  assert.match(page.slice(summary, section), '1 scenario: 0 passed, 1 failed');
  assert.match(page.slice(overview, section), '<b>forbidden_events[0]</b>');
  const checks = page.slice(page.indexOf('class="checks"', section));
  assert.ok(checks.indexOf('data-check="forbidden_events[0]"') < checks.indexOf('data-check="required_events[0]"'));
});

test('page: events a passing check cites are matched, those a failing check cites are failing, the rest plain', () => {
  assert.match(page, /<g class="event matched" data-event-id="evt-000005" data-checks="required_events\[0\]">/);
  assert.match(page, /<g class="event failing" data-event-id="evt-000007" data-checks="forbidden_events\[0\]">/);
  assert.match(page, /<g class="event" data-event-id="evt-000006" data-checks="">/);
});

test('page: one balance line per agent and a state diagram per machine, with its states and numbered transitions', () => {
  assert.is(page.match(/class="balance-line/g)?.length, 3);
  assert.match(page, /<svg class="state-diagram" data-machine="door"/);
  assert.is(page.match(/<g class="state/g)?.length, 5);
  assert.is(page.match(/class="transition"/g)?.length, 4);
});

test.run();
