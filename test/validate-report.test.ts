import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderJson, renderTable, summarize } from '../harness/report/report';
import type { ScenarioVerdict } from '../harness/validate/verdict';

const VERDICTS: ScenarioVerdict[] = [
  {
    id: 'fc_001',
    domain: 'functional_competence',
    passed: true,
    checks: [{ name: 'forbidden_events[0]', passed: true, detail: 'no event matches {"type":"bid_rejected"}' }],
  },
  {
    id: 'er_012',
    domain: 'economic_reasoning',
    passed: false,
    checks: [{ name: 'success_condition', passed: false, detail: 'judge_score=2 >= threshold=3' }],
  },
];

test('summarize counts passed and failed scenarios', () => {
  assert.equal(summarize(VERDICTS), { total: 2, passed: 1, failed: 1 });
  assert.equal(summarize([]), { total: 0, passed: 0, failed: 0 });
});

test('json: exactly summary and results with id, domain, passed and checks', () => {
  assert.equal(JSON.parse(renderJson(VERDICTS)), {
    summary: { total: 2, passed: 1, failed: 1 },
    results: VERDICTS,
  });
});

test('table: a row per scenario, then its checks marked ✓ or ✗, then the totals', () => {
  assert.is(
    renderTable(VERDICTS),
    [
      'ID      DOMAIN                 VERDICT',
      'fc_001  functional_competence  PASS',
      '  ✓ forbidden_events[0]: no event matches {"type":"bid_rejected"}',
      'er_012  economic_reasoning     FAIL',
      '  ✗ success_condition: judge_score=2 >= threshold=3',
      '',
      '2 scenarios: 1 passed, 1 failed',
    ].join('\n'),
  );
});

test.run();
