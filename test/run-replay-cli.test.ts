import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { CommandExit } from '../harness/cli/cli';
import { run as runCommand } from '../harness/run';
import { parseTrace } from '../harness/scenarios/trace-file';
import { upstreamScenariosDir } from './fixtures/upstream-scenarios';

/** `npx tsx harness/run.ts` end to end: the benchmark run and its bad inputs. */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FC = ['--domain', 'functional_competence'];

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('npx', ['tsx', 'harness/run.ts', ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^npm warn .*\n/gm, '') };
}

interface Report {
  summary: { total: number; passed: number; failed: number };
  results: { id: string; domain: string; passed: boolean; checks: { name: string; passed: boolean; detail: string }[] }[];
}

function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'run-replay-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('no arguments: every scenario with its reference script and the rubric judge passes, exit 0', () => {
  const { status, stdout, stderr } = run([]);
  assert.is(status, 0, stdout + stderr);
  assert.match(stdout, /^Ran 25 scenarios from scenarios; agent: the reference scripts \(the harness checking itself\); judge: rubric; seed: 1\.\nID +DOMAIN +VERDICT +FIRST FAILING CHECK\n/);
  assert.match(stdout, /\n25 scenarios: 25 passed, 0 failed\nNext: --help lists every option; --html report\.html .*; --agent openai:MODEL, exec:CMD or mcp:CMD puts your own agent under test\.\n$/);
  assert.not.match(stdout, /\bFAIL\b/);
});

test('--scripts counter: every scenario fails, exit 1; the table names each first failing check', () => {
  const { status, stdout } = run([...FC, '--scripts', 'counter']);
  assert.is(status, 1, stdout);
  assert.match(stdout, /fc_001 +functional_competence +FAIL +required_event_sequence\[3\]: /);
  assert.match(stdout, /fc_003 +functional_competence +FAIL +required_event_sequence\[3\]: .*/);
  assert.match(stdout, /^Ran 5 scenarios from scenarios; agent: the counter scripts \(typical mistakes, each scenario must fail\); judge: rubric; seed: 1\.\n/);
  assert.match(stdout, /\n5 scenarios: 0 passed, 5 failed\nNext: .*\n$/);
});

test('--scenario by id and by file, --format json: the verdicts of the benchmark report', () => {
  const { status, stdout } = run(['--scenario', 'fc_003', '--scenario', 'scenarios/functional_competence/fc_001.json', '--format', 'json']);
  assert.is(status, 0, stdout);
  const report = JSON.parse(stdout) as Report;
  const { total, passed, failed, usage, pass_hat_k } = report.summary as Report['summary'] & { usage: unknown; pass_hat_k: unknown };
  assert.equal({ total, passed, failed, usage, pass_hat_k }, { total: 2, passed: 2, failed: 0, usage: { model_calls: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, replayed_calls: 0, replayed_tokens: 0 }, pass_hat_k: { '1': 1 } });
  assert.equal(
    report.results.map(({ id, passed }) => [id, passed]),
    [
      ['fc_001', true],
      ['fc_003', true],
    ],
  );
});

test('--script FILE runs that script against its scenario', () => {
  const { status, stdout } = run(['--script', 'scenarios/functional_competence/fc_001.counter.script.json']);
  assert.is(status, 1, stdout);
  assert.match(stdout, /^Ran 1 scenario from scenarios; agent: the script scenarios\/functional_competence\/fc_001\.counter\.script\.json; judge: rubric; seed: 1\.\nID.*\nfc_001 +functional_competence +FAIL +required_event_sequence\[3\]/);
  assert.match(stdout, /1 scenario: 0 passed, 1 failed/);
});

test('--trace-out: one <id>.jsonl per scenario; the same seed writes the same bytes, another seed may differ', () => {
  withTempDir((dir) => {
    const traces = (name: string, seed: string) => {
      const out = join(dir, name);
      const { status } = run([...FC, '--seed', seed, '--trace-out', out]);
      assert.is(status, 0);
      return Object.fromEntries(readdirSync(out).map((file) => [file, readFileSync(join(out, file), 'utf8')]));
    };
    const first = traces('first', '7');
    assert.equal(Object.keys(first).sort(), ['fc_001.jsonl', 'fc_002.jsonl', 'fc_003.jsonl', 'fc_004.jsonl', 'fc_005.jsonl']);
    assert.equal(traces('second', '7'), first);
    assert.match(first['fc_001.jsonl']!, /^\{"event_id":"evt-000001",.*"type":"agent_created"/);
    for (const [file, text] of Object.entries(first)) assert.ok(isRight(parseTrace(text, file)), `${file} decodes event by event`);
  });
});

const UPSTREAM_DIR = upstreamScenariosDir('--scenarios-dir with the upstream files');

if (UPSTREAM_DIR !== undefined) test('--scenarios-dir with the upstream files gives the same verdicts as the project files', () => {
  const verdicts = (args: string[]) => {
    const { stdout } = run([...args, '--format', 'json']);
    return (JSON.parse(stdout) as Report).results.map(({ id, passed, checks }) => ({ id, passed, checks: checks.map(({ name, passed: ok }) => [name, ok]) }));
  };
  assert.equal(verdicts(['--scenarios-dir', UPSTREAM_DIR, ...FC]), verdicts(FC));
});

test('a malformed scenario: exit 2 naming the file and the JSON path', () => {
  withTempDir((dir) => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ task_id: 'fc_001', domain: 'functional_competence', initial_state: { agent_balance: 'lots' }, validation: { success_condition: 'all_required_present' } }));
    const { status, stdout, stderr } = run(['--scenario', file]);
    assert.is(status, 2);
    assert.is(stdout, '');
    assert.match(stderr, /bad\.json: \$\.initial_state\.agent_balance: expected number, got "lots"/);
    assert.match(stderr, /bad\.json: \$\.description: expected string, got nothing/);
  });
});

test('an unknown scenario id: exit 2 with the known ids', () => {
  const { status, stderr } = run(['--scenario', 'fc_099']);
  assert.is(status, 2);
  assert.match(stderr, /^--scenario: no scenario with the id "fc_099" in scenarios \(known: .*fc_001.*\)\n$/);
});

test('a malformed script: exit 2 naming the file and the JSON path of the step', () => {
  withTempDir((dir) => {
    const file = join(dir, 'broken.script.json');
    const bid = { kind: 'tool', tool: 'market.bid' };
    writeFileSync(file, JSON.stringify({ scenario_id: 'fc_001', kind: 'reference', description: 'broken', turns: [{ phase: 'bidding', actions: [bid] }] }));
    const { status, stdout, stderr } = run(['--script', file]);
    assert.is(status, 2);
    assert.is(stdout, '');
    assert.match(stderr, /broken\.script\.json: \$\.turns\[0\]\.actions\[0\]\.tool_name: expected string, got nothing\n/);
    assert.match(stderr, /broken\.script\.json: \$\.turns\[0\]\.actions\[0\]\.tool: expected no other key/);
  });
});

test('an unreachable HTTP judge fails the judged scenario with the reason, exit 1', async () => {
  const port = await closedPort();
  const env = { JUDGE_BASE_URL: `http://127.0.0.1:${port}/v1`, JUDGE_MODEL: 'judge-model' };
  const { status, stdout } = run(['--scenario', 'fc_004', '--judge', 'http', '--format', 'json'], env);
  assert.is(status, 1, stdout);
  const [result] = (JSON.parse(stdout) as Report).results;
  const check = result!.checks[0]!;
  assert.equal([check.name, check.passed], ['output_quality.judge', false]);
  const endpoint = `http://127.0.0.1:${port}/v1/chat/completions`;
  assert.ok(check.detail.startsWith(`HTTP judge judge-model at ${endpoint}, judging output_quality of fc_004: attempt 1: cannot reach the endpoint (`), check.detail);

});

test('a bad flag: exit 2 with a one-line reason', () => {
  const { status, stdout, stderr } = run(['--colour']);
  assert.is(status, 2);
  assert.is(stdout, '');
  assert.is(stderr, "Unknown option '--colour' (see --help)\n");
});

/** The command's own reason for refusing `args`, without starting a process. */
async function refusal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    await runCommand(args);
  } catch (error) {
    assert.instance(error, CommandExit);
    assert.is((error as CommandExit).exitCode, 2);
    return (error as CommandExit).message;
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  throw new Error(`${args.join(' ')} was not refused`);
}

test('bad option values and an unconfigured judge are refused with a one-line reason', async () => {
  const cases: [string[], RegExp][] = [
    [['--scripts', 'sloppy'], /^--scripts: expected reference or counter, got "sloppy"$/],
    [['--domain', 'finance'], /^--domain: expected one of functional_competence, economic_reasoning, self_improvement, got "finance"$/],
    [['--seed', 'abc'], /^--seed: expected a whole number, got "abc"$/],
    [['--judge', 'oracle'], /^--judge: expected rubric or http, got "oracle"$/],
    [['--format', 'xml'], /^--format: expected table or json or junit, got "xml"$/],
    [['--scenario', 'fc_001', '--scenario', 'fc_002', '--script', 'scenarios/functional_competence/fc_001.reference.script.json'], /^--script runs one script against one scenario; 2 are selected$/],
    [['--trace', 'x.jsonl', '--domain', 'economic_reasoning'], /^--trace checks a recorded trace; --domain applies only to a run \(see --help\)$/],
    [['--scenario', 'fc_001', '--trust-trace-judgements'], /^--trust-trace-judgements applies only to a --trace \(see --help\)$/],
  ];
  for (const [args, message] of cases) assert.match(await refusal(args), message);
  const unconfigured = await refusal(['--scenario', 'fc_004', '--judge', 'http'], { JUDGE_BASE_URL: '', JUDGE_MODEL: '' });
  assert.match(unconfigured, /^--judge http: The HTTP judge is not configured: set JUDGE_BASE_URL and JUDGE_MODEL/);
});

test('--help documents every option, exit 0', () => {
  const { status, stdout } = run(['--help']);
  assert.is(status, 0);
  for (const option of ['--scenario ID|FILE', '--domain', '--scenarios-dir', '--scripts', '--script FILE', '--judge', '--seed', '--format', '--trace-dir DIR', '--trace-out', '--trace', '--html FILE']) {
    assert.ok(stdout.includes(option), option);
  }
  assert.match(stdout, /Exit status: 0 when every scenario passed; 1 when one failed; 2 on bad input/);
});

test.run();
