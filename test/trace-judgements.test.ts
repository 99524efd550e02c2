import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { left } from 'fp-ts/lib/Either.js';
import type { EventOfType } from '../domain/economy/events';
import { loadScenarioFile } from '../harness/scenarios/constructor';
import type { Judge } from '../harness/judges/judge';
import { parseTrace } from '../harness/scenarios/trace-file';
import { judgeRecordedTrace } from '../harness/judges/trace-judgements';
import { validateTrace } from '../harness/validate/validate';
import { rightOf } from './fixtures/either';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const ER_001 = 'scenarios/economic_reasoning/er_001.json';

function run(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'harness/run.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const folder = mkdtempSync(join(tmpdir(), 'trace-judgements-'));
const recorded = join(folder, 'er_001.jsonl');
const forged = join(folder, 'er_001.forged.jsonl');

/** The counter script's trace, with every judgement it records raised to full marks. */
function forgeFullMarks(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      const event = JSON.parse(line) as { type: string; data: { criteria: { score: number }[]; overall_score: number; pass: boolean } };
      if (event.type !== 'judge_evaluation') return line;
      for (const criterion of event.data.criteria) criterion.score = 5;
      event.data.overall_score = 5;
      event.data.pass = true;
      return JSON.stringify(event);
    })
    .join('\n');
}

test.before(() => {
  const counter = run('--scenario', 'er_001', '--scripts', 'counter', '--trace-out', folder);
  assert.is(counter.status, 1, 'the counter script fails er_001');
  const text = readFileSync(recorded, 'utf8');
  const forgedText = forgeFullMarks(text);
  assert.is.not(forgedText, text, 'the trace records a judgement to forge');
  writeFileSync(forged, forgedText);
});

test.after(() => rmSync(folder, { recursive: true, force: true }));

test('a failing er_001 trace whose judge scores were edited to 5 still fails: it is judged afresh', () => {
  const { status, stdout } = run('--scenario', ER_001, '--trace', forged);
  assert.is(status, 1, stdout);
  assert.match(stdout, /✓ trace_judgements: judged afresh by the rubric judge; the trace's own 1 judge_evaluation event \(evt-\d+\) ignored/);
  assert.match(stdout, /✗ judge_evaluation: mean score 1 \(.*judged at #\d+ fresh-judgement-1\), required >= 3/);
  assert.match(stdout, /✗ success_condition: judge_score=1 >= threshold=3/);
});

test('--trust-trace-judgements takes the edited scores as recorded, and says so', () => {
  const { status, stdout } = run('--scenario', ER_001, '--trace', forged, '--trust-trace-judgements');
  assert.is(status, 0, stdout);
  assert.match(stdout, /✓ trace_judgements: trusted \(--trust-trace-judgements\): the trace's 1 judge_evaluation event used as recorded/);
  assert.match(stdout, /✓ judge_evaluation: mean score 5 \(/);
  assert.not.match(stdout, /fresh-judgement/);
});

test('trusted, the unedited trace keeps its failing judgement', () => {
  const { status, stdout } = run('--scenario', ER_001, '--trace', recorded, '--trust-trace-judgements', '--format', 'json');
  assert.is(status, 1, stdout);
  const [result] = (JSON.parse(stdout) as { results: { checks: { name: string; passed: boolean }[] }[] }).results;
  assert.equal(result!.checks.filter((check) => !check.passed).map((check) => check.name), ['judge_evaluation', 'success_condition']);
  assert.is(result!.checks[0]!.name, 'trace_judgements');
});

test('a judge that gives no judgement fails the block; the forged judgement does not stand in for it', async () => {
  const silent: Judge = { name: 'silent', evaluate: async () => left({ kind: 'unreachable', message: 'the judge is unreachable', attempts: 1 }) };
  const loaded = rightOf(loadScenarioFile(join(REPO, ER_001)));
  const events = rightOf(parseTrace(readFileSync(forged, 'utf8'), forged));
  const judged = await judgeRecordedTrace(loaded, events, { judgements: 'fresh', judge: silent });
  assert.equal(judged.checks.map((check) => [check.name, check.passed]), [['trace_judgements', true], ['judge_evaluation.judge', false]]);
  assert.not.ok(judged.trace.some((event) => event.type === 'judge_evaluation'));
  const verdict = validateTrace(loaded.scenario, judged.trace);
  assert.match(verdict.checks.find((check) => check.name === 'judge_evaluation')!.detail, /no judgement was recorded/);
});

test('a scenario without judged blocks: no note unless the trace carries judgements, which are then ignored', async () => {
  const loaded = rightOf(loadScenarioFile(join(REPO, 'scenarios/functional_competence/fc_001.json')));
  const fixture = join(REPO, 'test/fixtures/traces/fc_001.pass.jsonl');
  const events = rightOf(parseTrace(readFileSync(fixture, 'utf8'), fixture));
  const unused: Judge = { name: 'unused', evaluate: async () => { throw new Error('not judged'); } };
  assert.equal((await judgeRecordedTrace(loaded, events, { judgements: 'fresh', judge: unused })).checks, []);
  const judgement: EventOfType<'judge_evaluation'> = {
    ...events[0]!,
    event_id: 'j1',
    source: 'judge',
    type: 'judge_evaluation',
    data: { criteria: [], overall_score: 5, pass: true, feedback: '' },
  };
  const withJudgement = await judgeRecordedTrace(loaded, [...events, judgement], { judgements: 'fresh', judge: unused });
  assert.equal(withJudgement.checks.map((check) => check.detail), ["the trace's own 1 judge_evaluation event (j1) ignored: the scenario has no judged block"]);
  assert.is(withJudgement.trace.length, events.length);
});

test.run();
