import { DOMAINS } from '../../domain/benchmark/scenario';
import type { ScenarioVerdict } from '../validate';

/**
 * Verdicts as JUnit XML (`--format junit`), for CI systems: one `<testsuite>` per domain, one
 * `<testcase>` per scenario run, and one `<failure>` per failing check, carrying the check's name
 * and detail. Every check, passing or not, is listed in the test case's `<system-out>`.
 */

/**
 * Characters XML 1.0 forbids outright, even as character references: C0 controls other than tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF. A detail can carry any of them
 * (it quotes what an agent wrote), so each is written as visible text, `\u0001`, instead.
 */
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Character data: `&`, `<` and `>` (so that no `]]>` survives) become references. */
export function escapeXmlText(text: string): string {
  return text
    .replace(FORBIDDEN_IN_XML, visible)
    .replace(/[&<>]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[character]!);
}

/** An attribute value in double quotes; tab, line feed and carriage return are kept as references, which a parser would otherwise turn into spaces. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/["\t\n\r]/g, (character) => `&#${character.charCodeAt(0)};`);
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function testCase(verdict: ScenarioVerdict, withEpoch: boolean): string[] {
  const name = withEpoch ? `${verdict.id} [epoch ${verdict.epoch ?? 1}]` : verdict.id;
  const failures = verdict.checks
    .filter((check) => !check.passed)
    .map(
      (check) =>
        `      <failure${attributes({ type: check.name, message: `${check.name}: ${check.detail}` })}>${escapeXmlText(check.detail)}</failure>`,
    );
  const output = verdict.checks.map((check) => `${check.passed ? '✓' : '✗'} ${check.name}: ${check.detail}`).join('\n');
  return [
    `    <testcase${attributes({ name, classname: verdict.domain })}>`,
    ...failures,
    `      <system-out>${escapeXmlText(output)}</system-out>`,
    '    </testcase>',
  ];
}

const failedCount = (verdicts: readonly ScenarioVerdict[]): number => verdicts.filter((verdict) => !verdict.passed).length;

/**
 * The JUnit XML document of a run. A test case is named by its scenario id, with its epoch when
 * the run repeated any scenario (`er_001 [epoch 2]`). A suite's `failures` counts its failing
 * scenario runs, not their failing checks.
 */
export function renderJUnit(verdicts: readonly ScenarioVerdict[]): string {
  const withEpoch = verdicts.some((verdict) => (verdict.epoch ?? 1) > 1);
  const suites = DOMAINS.flatMap((domain) => {
    const inDomain = verdicts.filter((verdict) => verdict.domain === domain);
    if (inDomain.length === 0) return [];
    return [
      `  <testsuite${attributes({ name: domain, tests: inDomain.length, failures: failedCount(inDomain), errors: 0, skipped: 0 })}>`,
      ...inDomain.flatMap((verdict) => testCase(verdict, withEpoch)),
      '  </testsuite>',
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'syntropism', tests: verdicts.length, failures: failedCount(verdicts), errors: 0 })}>`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}
