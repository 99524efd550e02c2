import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { loadScenarioDir, loadScenarioFile, type ScenarioError } from '../harness/scenarios/constructor';

const REPO = fileURLToPath(new URL('..', import.meta.url));

type Json = Record<string, unknown>;

/** A valid scenario that exercises labels, references, ordering, consumption and injected events. */
const VALID = {
  task_id: 'fx_001',
  domain: 'functional_competence',
  description: 'A fixture',
  initial_state: { agent_balance: 100 },
  injected_events: [{ trigger: 'after_first_bid', event: { type: 'bid_rejected', reason: 'insufficient_balance' } }],
  validation: {
    required_event_sequence: [
      { type: 'bid_placed', label: 'first_attempt' },
      { type: 'service_invoked', 'data.service_name': 'data_fetch' },
      { type: 'bid_placed', label: 'second_attempt', constraints: { total_cost: '<first_attempt.total_cost' } },
    ],
    ordering_constraints: ['first_attempt BEFORE data_fetch'],
    resource_consumption: { tokens_used: '<=200' },
    success_condition: 'second_attempt_succeeded AND within_budget',
  },
};

/** Writes `files` (path → JSON value or raw text) into a fresh folder, runs `body` on it and removes it. */
function withFolder<A>(files: Record<string, Json | string>, body: (dir: string) => A): A {
  const dir = mkdtempSync(join(tmpdir(), 'constructor-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      const file = join(dir, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The errors of one scenario, built from the valid one by `change`, with paths relative to its folder. */
function errorsOf(change: (scenario: typeof VALID & Json) => void): Omit<ScenarioError, 'file'>[] {
  const scenario = structuredClone(VALID) as typeof VALID & Json;
  change(scenario);
  return withFolder({ 'fx_001.json': scenario }, (dir) => {
    const result = loadScenarioFile(join(dir, 'fx_001.json'));
    if (isRight(result)) return [];
    for (const error of result.left) assert.is(error.file, join(dir, 'fx_001.json'));
    return result.left.map(({ path, message }) => ({ path, message }));
  });
}

const sequence = (scenario: typeof VALID) => scenario.validation.required_event_sequence as Json[];

test('the valid scenario loads, with its id and the JSON as written', () => {
  withFolder({ 'functional_competence/fx_001.json': VALID }, (dir) => {
    const result = loadScenarioFile(join(dir, 'functional_competence/fx_001.json'));
    assert.ok(isRight(result));
    if (isRight(result)) {
      assert.is(result.right.id, 'fx_001');
      assert.equal(result.right.raw, VALID);
    }
  });
});

test('companion files beside a scenario (scripts, rubrics, workspaces) are not read as scenarios', () => {
  const files = {
    'functional_competence/fx_001.json': VALID,
    'functional_competence/fx_001.reference.script.json': '{"not": "a scenario"}',
    'functional_competence/fx_001.rubric.json': '{"not": "a scenario"}',
    'functional_competence/fx_001.workspace/manifest.json': '{"not": "a scenario"}',
    'functional_competence/fx_002.scripted.json': '{"is": "a scenario file with errors"}',
  };
  withFolder(files, (dir) => {
    const { scenarios, errors } = loadScenarioDir(dir);
    assert.equal(scenarios.map((s) => s.id), ['fx_001']);
    assert.equal([...new Set(errors.map((e) => e.file))], [join(dir, 'functional_competence/fx_002.scripted.json')]);
  });
});

test('malformed JSON: the line and column', () => {
  withFolder({ 'bad.json': '{\n  "task_id": "x",\n  "domain" "y"\n}', 'cut.json': '{\n  "task_id": "x",' }, (dir) => {
    const { errors } = loadScenarioDir(dir);
    assert.equal(errors, [
      { file: join(dir, 'bad.json'), path: '$', message: 'malformed JSON at line 3, column 12: Unexpected string' },
      { file: join(dir, 'cut.json'), path: '$', message: 'malformed JSON at line 2, column 18: Expected double-quoted property name' },
    ]);
  });
});

test('an unknown event type, with the nearest known one when it is obvious', () => {
  assert.equal(
    errorsOf((s) => (sequence(s)[1]!.type = 'service_invokd')),
    [
      {
        path: '$.validation.required_event_sequence[1].type',
        message: 'expected a known event type, got "service_invokd" (did you mean "service_invoked"?)',
      },
    ],
  );
  const [classNameIssue] = errorsOf((s) => (sequence(s)[0]!.type = 'BidPlaced'));
  assert.is(classNameIssue?.message, 'expected a known event type, got "BidPlaced" (did you mean "bid_placed"?)');
  const [farIssue] = errorsOf((s) => (s.injected_events[0]!.event.type = 'teleported'));
  assert.is(farIssue?.path, '$.injected_events[0].event.type');
  assert.match(farIssue?.message ?? '', /^expected a known event type, got "teleported" \(known types: balance_queried, /);
});

test('a match key or constraint field the event type does not have, with the fields it has', () => {
  assert.equal(
    errorsOf((s) => {
      sequence(s)[1]!['data.service_nme'] = sequence(s)[1]!['data.service_name'];
      delete sequence(s)[1]!['data.service_name'];
    }),
    [
      {
        path: '$.validation.required_event_sequence[1].data.service_nme',
        message:
          'expected a field that service_invoked events have (data fields: caller_agent, provider_agent, service_name, cost, result), got "data.service_nme" (did you mean "data.service_name"?)',
      },
      {
        path: '$.validation.ordering_constraints[0]',
        message:
          'expected "A BEFORE B" where A and B each name a label, an event type, or a tool_name or service_name of a rule entry (first_attempt, second_attempt), got "data_fetch"',
      },
    ],
  );
  assert.equal(
    errorsOf((s) => (sequence(s)[2]!.constraints = { price: '<first_attempt.total_cost' })).map((issue) => issue.path),
    ['$.validation.required_event_sequence[2].constraints.price'],
  );
  assert.equal(
    errorsOf((s) => ((s.injected_events[0]!.event as Json).reasn = 'x')).map((issue) => issue.path),
    ['$.injected_events[0].event.reasn'],
  );
});

test('a constraint that does not parse, or whose operand means nothing in its place', () => {
  const [unparsable] = errorsOf((s) => (sequence(s)[2]!.constraints = { total_cost: 'less than 5' }));
  assert.is(unparsable?.path, '$.validation.required_event_sequence[2].constraints.total_cost');
  assert.match(unparsable?.message ?? '', /less than 5/);
  assert.equal(
    errorsOf((s) => (s.validation.resource_consumption = { tokens_used: '<= first_attempt.total_cost' })),
    [
      {
        path: '$.validation.resource_consumption.tokens_used',
        message:
          'expected a comparator followed by a number, got "<= first_attempt.total_cost" (`label.field` has no meaning here)',
      },
    ],
  );
  const [percent] = errorsOf((s) => ((s.validation as Json).improvement_validation = { metric: 'm', baseline: 1, target: 'at least 2' }));
  assert.is(percent?.path, '$.validation.improvement_validation.target');
});

test('self-improvement constraints take only the operands the validator gives a meaning to there', () => {
  const issues = errorsOf((s) => {
    const validation = s.validation as Json;
    validation.improvement_validation = { metric: 'roi_per_credit_spent', baseline: 0.2, target: '>= 10%' };
    validation.performance_validation = { weighted_score_improvement: '>= 0.15' };
    validation.performance_comparison = { execution_time_improvment: '>= 10%' };
  });
  assert.equal(
    issues.map((issue) => issue.path),
    [
      '$.validation.performance_comparison.execution_time_improvment',
      '$.validation.improvement_validation.target',
      '$.validation.performance_validation.weighted_score_improvement',
    ],
  );
  assert.match(issues[0]!.message, /did you mean "execution_time_improvement"/);
});

test('an unknown resource_consumption metric', () => {
  assert.equal(errorsOf((s) => ((s.validation as Json).resource_consumption = { tokens_usd: '<=200' })), [
    {
      path: '$.validation.resource_consumption.tokens_usd',
      message: 'expected a metric the validator measures (tokens_used, credits_burned), got "tokens_usd" (did you mean "tokens_used"?)',
    },
  ]);
});

test('an unknown name in success_condition, an unparsable condition, a judge score without a judged block', () => {
  assert.equal(errorsOf((s) => (s.validation.success_condition = 'second_attempt_succeded AND within_budget')), [
    {
      path: '$.validation.success_condition',
      message: 'expected a known predicate or value, got "second_attempt_succeded" (did you mean "second_attempt_succeeded"?)',
    },
  ]);
  const [unparsable] = errorsOf((s) => (s.validation.success_condition = 'within_budget AND'));
  assert.match(unparsable?.message ?? '', /^cannot parse "within_budget AND" at column 18/);
  assert.equal(errorsOf((s) => (s.validation.success_condition = 'judge_score >= threshold')), [
    {
      path: '$.validation.success_condition',
      message:
        '"judge_score" and "threshold" need a judged block in validation (judge_evaluation, output_quality, code_quality_check), and there is none',
    },
  ]);
  const judged = (s: typeof VALID) => {
    s.validation.success_condition = 'judge_score >= threshold';
    (s.validation as Json).output_quality = { criterion: 'clarity', threshold: 3 };
  };
  assert.equal(errorsOf(judged), []);
});

test('a reference to a label no entry binds', () => {
  assert.equal(errorsOf((s) => (sequence(s)[2]!.constraints = { total_cost: '<third_attempt.total_cost' })), [
    {
      path: '$.validation.required_event_sequence[2].constraints.total_cost',
      message:
        'expected `label.field` with a label bound by an earlier entry of required_event_sequence, got "third_attempt.total_cost": no entry of required_event_sequence binds "third_attempt" (labels bound before this entry: first_attempt)',
    },
  ]);
});

test('a reference to a label bound later, or by the entry itself', () => {
  assert.equal(errorsOf((s) => (sequence(s)[0]!.constraints = { total_cost: '>second_attempt.total_cost' })), [
    {
      path: '$.validation.required_event_sequence[0].constraints.total_cost',
      message:
        'expected `label.field` with a label bound by an earlier entry of required_event_sequence, got "second_attempt.total_cost": "second_attempt" is bound only by the later entry required_event_sequence[2] (no label is bound before this entry)',
    },
  ]);
  const [itself] = errorsOf((s) => (sequence(s)[2]!.constraints = { total_cost: '<second_attempt.total_cost' }));
  assert.match(itself?.message ?? '', /"second_attempt" is bound only by this entry itself/);
});

test('a label bound twice, and a referenced field the labelled event lacks', () => {
  assert.equal(errorsOf((s) => (sequence(s)[2]!.label = 'first_attempt')).map((issue) => issue.message), [
    'expected a label no other entry binds, got "first_attempt" (already bound at $.validation.required_event_sequence[0].label)',
  ]);
  assert.equal(errorsOf((s) => (sequence(s)[2]!.constraints = { total_cost: '<first_attempt.cost' })), [
    {
      path: '$.validation.required_event_sequence[2].constraints.total_cost',
      message:
        '"first_attempt" is a bid_placed event: expected a field that bid_placed events have (data fields: agent_id, bid_id, bundle, total_cost, resource_bundle_id), got "cost"',
    },
  ]);
});

test('an ordering constraint that is not "A BEFORE B" or names nothing the scenario knows', () => {
  assert.equal(errorsOf((s) => (s.validation.ordering_constraints = ['first_attempt AFTER data_fetch'])), [
    { path: '$.validation.ordering_constraints[0]', message: 'expected "A BEFORE B" (two event names), got "first_attempt AFTER data_fetch"' },
  ]);
  const [unknown] = errorsOf((s) => (s.validation.ordering_constraints = ['first_atempt BEFORE bid_rejected']));
  assert.match(unknown?.message ?? '', /got "first_atempt" \(did you mean "first_attempt"\?\)$/);
});

test('an unknown key at the top level and inside validation', () => {
  assert.equal(
    errorsOf((s) => {
      s.descripton = 'typo';
      (s.validation as Json).forbiden_events = [];
    }).map((issue) => issue.path),
    ['$.validation.forbiden_events', '$.descripton'],
  );
});

test('a decode error in one section does not hide the checks of the others', () => {
  assert.equal(
    errorsOf((s) => {
      s.initial_state = {} as typeof s.initial_state;
      sequence(s)[0]!.type = 'bid_placd';
      s.injected_events[0]!.event.type = 'bid_rejectd';
    }).map((issue) => issue.path),
    [
      '$.initial_state.agent_balance',
      '$.validation.required_event_sequence[0].type',
      '$.injected_events[0].event.type',
    ],
  );
  assert.equal(
    errorsOf((s) => {
      (s.injected_events[0] as Json).trigger = 'whenever';
      sequence(s)[0]!.type = 'bid_placd';
    }).map((issue) => issue.path),
    ['$.injected_events[0].trigger', '$.validation.required_event_sequence[0].type'],
  );
});

test('ids: present, equal when both are given, unique across the folder (naming both files)', () => {
  assert.equal(errorsOf((s) => delete (s as Partial<typeof VALID>).task_id), [
    { path: '$', message: 'expected a scenario_id or a task_id, got neither' },
  ]);
  assert.equal(errorsOf((s) => (s.scenario_id = 'fx_002')), [
    { path: '$.task_id', message: 'expected the same id as scenario_id ("fx_002"), got "fx_001"' },
  ]);
  withFolder({ 'a/one.json': VALID, 'b/two.json': VALID }, (dir) => {
    const { scenarios, errors } = loadScenarioDir(dir);
    assert.equal(scenarios.map((loaded) => loaded.file), [join(dir, 'a/one.json')]);
    assert.equal(errors, [
      {
        file: join(dir, 'b/two.json'),
        path: '$.task_id',
        message: `expected an id no other scenario has, got "fx_001", the id of ${join(dir, 'a/one.json')} too`,
      },
    ]);
  });
});

test("a file in a domain's folder declares that domain", () => {
  withFolder({ 'economic_reasoning/fx_001.json': VALID, 'misc/fx_002.json': { ...VALID, task_id: 'fx_002' } }, (dir) => {
    assert.equal(loadScenarioDir(dir).errors, [
      {
        file: join(dir, 'economic_reasoning/fx_001.json'),
        path: '$.domain',
        message: 'expected "economic_reasoning", the domain of the folder the file is in, got "functional_competence"',
      },
    ]);
  });
});

test('a folder with two bad files reports both, and keeps the good one, in path order', () => {
  const files = {
    'z.json': { ...VALID, task_id: 'fx_003', domain: 'no_such_domain' },
    'm/ok.json': { ...VALID, task_id: 'fx_002' },
    'a.json': '[',
  };
  withFolder(files, (dir) => {
    const { scenarios, errors } = loadScenarioDir(dir);
    assert.equal(scenarios.map((loaded) => loaded.id), ['fx_002']);
    assert.equal(errors.map((error) => [error.file, error.path]), [
      [join(dir, 'a.json'), '$'],
      [join(dir, 'z.json'), '$.domain'],
    ]);
  });
});

test('a folder that cannot be read is one error', () => {
  const missing = join(tmpdir(), 'constructor-no-such-folder');
  const { scenarios, errors } = loadScenarioDir(missing);
  assert.is(scenarios.length, 0);
  assert.equal(errors.map((error) => [error.file, error.path]), [[missing, '$']]);
  assert.match(errors[0]?.message ?? '', /^cannot read the folder: ENOENT/);
});

function build(...args: string[]) {
  const run = spawnSync('npx', ['tsx', 'harness/build.ts', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('build: the project scenarios, summarised and written to --out by domain then id', () => {
  withFolder({}, (dir) => {
    const out = join(dir, 'benchmark.json');
    const run = build('--out', out);
    assert.is(run.status, 0, run.stderr);
    assert.equal(run.stdout.split('\n'), [
      'functional_competence   5 scenarios  fc_001 … fc_005',
      'economic_reasoning     15 scenarios  er_001 … er_015',
      'self_improvement        5 scenarios  si_001 … si_005',
      'total                  25 scenarios',
      `wrote 25 scenarios to ${out}`,
      '',
    ]);
    const text = readFileSync(out, 'utf8');
    const written = JSON.parse(text) as { scenarios: Json[] };
    const ids = written.scenarios.map((scenario) => scenario.task_id ?? scenario.scenario_id);
    assert.equal(ids.slice(0, 6), ['fc_001', 'fc_002', 'fc_003', 'fc_004', 'fc_005', 'er_001']);
    assert.equal(written.scenarios[0], JSON.parse(readFileSync(join(REPO, 'scenarios/functional_competence/fc_001.json'), 'utf8')));
    assert.is(text, `${JSON.stringify(written, null, 2)}\n`);
  });
});

test('build: every error of an invalid folder, a count and exit 2', () => {
  withFolder({ 'a.json': '[', 'b.json': { ...VALID, extra: 1 } }, (dir) => {
    const run = build(dir);
    assert.is(run.status, 2);
    assert.is(run.stdout, '');
    assert.equal(run.stderr.split('\n'), [
      `${join(dir, 'a.json')}: $: malformed JSON at line 1, column 2: Unexpected end of JSON input`,
      `${join(dir, 'b.json')}: $.extra: expected no other key (known keys: domain, description, initial_state, validation, task_id, scenario_id, name, state_description, expected_behavior, injected_events), got 1`,
      `2 errors in 2 of 2 files under ${dir}`,
      '',
    ]);
  });
});

test('build: a bad flag and a missing folder are one line and exit 2', () => {
  const flag = build('--outt', 'x.json');
  assert.is(flag.status, 2);
  assert.is(flag.stderr, "Unknown option '--outt' (see --help)\n");
  const missing = build(join(tmpdir(), 'constructor-no-such-folder'));
  assert.is(missing.status, 2);
  assert.is(missing.stderr, `${join(tmpdir(), 'constructor-no-such-folder')}: no such folder (see --help)\n`);
});

test.run();
