import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const FC_001 = 'scenarios/functional_competence/fc_001.json';
const traceFixture = (name: string) => `test/fixtures/traces/${name}.jsonl`;

function run(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'harness/run.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('a passing trace: a table with every check ticked, exit 0', () => {
  const { status, stdout } = run('--scenario', FC_001, '--trace', traceFixture('fc_001.pass'));
  assert.is(status, 0, stdout);
  assert.match(stdout, /^ID +DOMAIN +VERDICT\nfc_001 +functional_competence +PASS\n/);
  assert.match(stdout, /✓ required_event_sequence\[3\]: .* matched #4 e4/);
  assert.match(stdout, /✓ success_condition: all_required_present=true AND no_forbidden_present=true/);
  assert.not.match(stdout, /✗/);
  assert.match(stdout, /1 scenario: 1 passed, 0 failed\n$/);
});

test('a failing trace: the failed checks say why, exit 1', () => {
  const { status, stdout } = run('--scenario', FC_001, '--trace', traceFixture('fc_001.fail'));
  assert.is(status, 1, stdout);
  assert.match(stdout, /fc_001 +functional_competence +FAIL/);
  assert.match(stdout, /✗ forbidden_events\[0\]: \{"type":"bid_rejected"\} is forbidden but matched #4 e4/);
  assert.match(stdout, /✗ success_condition: all_required_present=false AND no_forbidden_present=false/);
});

test('--format json prints exactly the summary and the results', () => {
  const { status, stdout } = run('--scenario', FC_001, '--trace', traceFixture('fc_001.fail'), '--format', 'json');
  assert.is(status, 1);
  const report = JSON.parse(stdout) as { summary: unknown; results: Record<string, unknown>[] };
  assert.equal(Object.keys(report), ['summary', 'results']);
  assert.equal(report.summary, { total: 1, passed: 0, failed: 1 });
  const [result] = report.results;
  assert.equal(Object.keys(result!), ['id', 'domain', 'passed', 'checks']);
  assert.equal([result!.id, result!.domain, result!.passed], ['fc_001', 'functional_competence', false]);
  for (const check of result!.checks as Record<string, unknown>[]) {
    assert.equal(Object.keys(check), ['name', 'passed', 'detail']);
  }
});

test('a malformed JSONL line: exit 2 naming the file and the line', () => {
  const { status, stdout, stderr } = run('--scenario', FC_001, '--trace', traceFixture('malformed-line'));
  assert.is(status, 2);
  assert.is(stdout, '');
  assert.match(stderr, /test\/fixtures\/traces\/malformed-line\.jsonl:2: malformed JSON/);
});

test('an invalid event: exit 2 naming the line and the decode issue', () => {
  const { status, stderr } = run('--scenario', FC_001, '--trace', traceFixture('invalid-event'));
  assert.is(status, 2);
  assert.match(stderr, /invalid-event\.jsonl:2: \$\.data\.balance: expected number, got nothing/);
});

test('a trace recorded for another scenario: exit 2', () => {
  const { status, stderr } = run('--scenario', FC_001, '--trace', traceFixture('other-scenario'));
  assert.is(status, 2);
  assert.match(stderr, /event e1 has scenario_id "fc_002", expected "fc_001"/);
});

test('bad flags and missing arguments: exit 2 with a one-line reason', () => {
  const unknown = run('--scenario', FC_001, '--trace', traceFixture('fc_001.pass'), '--colour');
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown option '--colour' \(see --help\)/);
  const format = run('--scenario', FC_001, '--trace', traceFixture('fc_001.pass'), '--format', 'xml');
  assert.is(format.status, 2);
  assert.match(format.stderr, /--format: expected table or json or junit, got "xml"/);
  const missing = run('--trace', traceFixture('fc_001.pass'));
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /missing --scenario ID\|FILE for the --trace \(see --help\)/);
});

test('an invalid scenario: exit 2 with the constructor errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
  try {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        task_id: 'fc_001',
        domain: 'functional_competence',
        description: 'bad',
        initial_state: { agent_balance: 1 },
        validation: { required_events: [{ type: 'bid_exploded' }], success_condition: 'all_required_present' },
      }),
    );
    const { status, stderr } = run('--scenario', file, '--trace', traceFixture('fc_001.pass'));
    assert.is(status, 2);
    assert.match(stderr, /bad\.json: \$\.validation\.required_events\[0\]\.type: expected a known event type, got "bid_exploded"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help documents the command, exit 0', () => {
  const { status, stdout } = run('--help');
  assert.is(status, 0);
  assert.match(stdout, /^Usage: npx tsx harness\/run\.ts --scenario ID\|FILE --trace TRACE\.jsonl \[--judge rubric\|http\]\n +\[--trust-trace-judgements\] \[--format table\|json\|junit\]/);
  assert.match(stdout, /Exit status: 0 when every scenario passed; 1 when one failed; 2 on bad input/);
});

test.run();
