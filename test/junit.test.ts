import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../harness/report/html/escape';
import { renderJUnit } from '../harness/report/junit';
import type { ScenarioVerdict } from '../harness/validate/verdict';
import { childElements, parseXml, textOf, type XmlElement } from './fixtures/xml';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const HOSTILE = 'expected <= 500 & got "600" \u0001\u0000 then ]]> and \'quotes\'\ttab\nline';
/** What a reader gets back: the characters XML cannot carry, spelt out. */
const HOSTILE_AS_READ = 'expected <= 500 & got "600" \\u0001\\u0000 then ]]> and \'quotes\'\ttab\nline';

function verdict(id: string, domain: ScenarioVerdict['domain'], failing: readonly string[], epoch?: number): ScenarioVerdict {
  const checks = [
    { name: 'required_events[0]', passed: true, detail: 'matched #1 e1' },
    ...failing.map((name) => ({ name, passed: false, detail: `${name} failed` })),
  ];
  return { id, domain, passed: failing.length === 0, checks, ...(epoch === undefined ? {} : { epoch }) };
}

const suitesOf = (root: XmlElement) => childElements(root, 'testsuite');
const casesOf = (root: XmlElement) => suitesOf(root).flatMap((suite) => childElements(suite, 'testcase'));

test('the reader used below refuses what is not well-formed XML', () => {
  for (const bad of ['<a>]]></a>', '<a>&</a>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a>&#1;</a>', '<a></b>', '<a x="1" x="2"/>', '<a x="<"/>', '<a/><b/>']) {
    assert.throws(() => parseXml(bad), undefined, bad);
  }
  assert.equal(parseXml('<a x="&quot;&#10;">&lt;&amp;&gt;<b/></a>'), { name: 'a', attributes: { x: '"\n' }, children: ['<&>', { name: 'b', attributes: {}, children: [] }] });
  assert.throws(() => parseXml(`<a>${escapeHtml(HOSTILE)}</a>`), /U\+0001/, 'escaping markup alone leaves control characters in');
});

test('hostile details survive: <, &, quotes, control characters and ]]> in text and attributes', () => {
  const failing: ScenarioVerdict = {
    id: 'er_<1>&"',
    domain: 'economic_reasoning',
    passed: false,
    checks: [{ name: 'success_condition', passed: false, detail: HOSTILE }],
  };
  const root = parseXml(renderJUnit([failing]));
  const [testcase] = casesOf(root);
  assert.is(testcase!.attributes.name, 'er_<1>&"');
  const [failure] = childElements(testcase!, 'failure');
  assert.is(textOf(failure!), HOSTILE_AS_READ);
  assert.is(failure!.attributes.type, 'success_condition');
  assert.is(failure!.attributes.message, `success_condition: ${HOSTILE_AS_READ}`);
  assert.match(textOf(childElements(testcase!, 'system-out')[0]!), `✗ success_condition: ${HOSTILE_AS_READ}`);
});

test('a lone surrogate is spelt out rather than written', () => {
  const root = parseXml(renderJUnit([{ ...verdict('fc_001', 'functional_competence', []), checks: [{ name: 'x', passed: false, detail: 'a\uD800b' }] }]));
  assert.is(textOf(childElements(casesOf(root)[0]!, 'failure')[0]!), 'a\\ud800b');
});

test('a suite per domain, a test case per scenario run, a failure per failing check; failures count failing scenarios', () => {
  const verdicts = [
    verdict('er_001', 'economic_reasoning', ['judge_evaluation', 'success_condition']),
    verdict('fc_001', 'functional_competence', []),
    verdict('fc_002', 'functional_competence', ['forbidden_events[0]']),
    verdict('er_002', 'economic_reasoning', []),
  ];
  const root = parseXml(renderJUnit(verdicts));
  assert.is(root.name, 'testsuites');
  assert.equal([root.attributes.tests, root.attributes.failures], ['4', '2']);
  const suites = suitesOf(root);
  assert.equal(suites.map((suite) => suite.attributes.name), ['functional_competence', 'economic_reasoning']);
  assert.equal(suites.map((suite) => [suite.attributes.tests, suite.attributes.failures]), [['2', '1'], ['2', '1']]);
  const cases = casesOf(root);
  assert.equal(cases.map((testcase) => testcase.attributes.name), ['fc_001', 'fc_002', 'er_001', 'er_002']);
  assert.equal(cases.map((testcase) => childElements(testcase, 'failure').length), [0, 1, 2, 0]);
  assert.equal(childElements(cases[2]!, 'failure').map((failure) => textOf(failure)), ['judge_evaluation failed', 'success_condition failed']);
  assert.is(cases[0]!.attributes.classname, 'functional_competence');
});

test('test cases carry their epoch when a scenario ran more than once', () => {
  const single = casesOf(parseXml(renderJUnit([verdict('fc_001', 'functional_competence', [], 1)])));
  assert.is(single[0]!.attributes.name, 'fc_001');
  const repeated = casesOf(parseXml(renderJUnit([verdict('fc_001', 'functional_competence', [], 1), verdict('fc_001', 'functional_competence', ['x'], 2)])));
  assert.equal(repeated.map((testcase) => testcase.attributes.name), ['fc_001 [epoch 1]', 'fc_001 [epoch 2]']);
});

function run(...args: string[]) {
  const result = spawnSync('npx', ['tsx', 'harness/run.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('run.ts --trace --format junit: the failing trace is one failing test case, exit 1', () => {
  const { status, stdout } = run('--scenario', 'scenarios/functional_competence/fc_001.json', '--trace', 'test/fixtures/traces/fc_001.fail.jsonl', '--format', 'junit');
  assert.is(status, 1, stdout);
  const root = parseXml(stdout.trimEnd());
  assert.equal([root.attributes.tests, root.attributes.failures], ['1', '1']);
  const failures = childElements(casesOf(root)[0]!, 'failure').map((failure) => failure.attributes.type);
  assert.ok(failures.includes('forbidden_events[0]'), failures.join());
  assert.ok(failures.includes('success_condition'), failures.join());
});

test('run.ts --format junit over a replay: every counter script fails its test case', () => {
  const { status, stdout } = run('--domain', 'functional_competence', '--scripts', 'counter', '--format', 'junit');
  assert.is(status, 1, stdout);
  const root = parseXml(stdout.trimEnd());
  assert.equal([root.attributes.tests, root.attributes.failures], ['5', '5']);
  assert.ok(casesOf(root).every((testcase) => childElements(testcase, 'failure').length > 0));
});

test.run();
