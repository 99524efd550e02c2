import { passKOf, shortNumber, type SampleVerdict } from '../epochs';
import { escapeHtml } from './escape';

/** For a run of several epochs: per scenario its successes by epoch (✓ or ✗ in order), and its pass^k for k = 1…K. */
export function epochsSection(verdicts: readonly SampleVerdict[]): string {
  const passK = passKOf(verdicts);
  if (passK === undefined || passK.k === 1) return '';
  const ks = Array.from({ length: passK.k }, (_, index) => String(index + 1));
  const rows = passK.scenarios.map((scenario) => {
    const byEpoch = verdicts
      .filter((verdict) => verdict.id === scenario.id)
      .map((verdict) => `<span title="epoch ${verdict.epoch}, seed ${verdict.seed}">${verdict.passed ? '✓' : '✗'}</span>`)
      .join('');
    const values = ks.map((k) => `<td>${shortNumber(scenario.pass_hat_k[k]!)}</td>`).join('');
    return `<tr><td>${escapeHtml(scenario.id)}</td><td>${scenario.successes}/${scenario.n}</td><td class="epochs">${byEpoch}</td>${values}</tr>`;
  });
  const overall = ks.map((k) => `<td>${shortNumber(passK.overall.pass_hat_k[k]!)}</td>`).join('');
  return `<h2 id="epochs">Epochs</h2>
<table class="checks"><thead><tr><th>scenario</th><th>passed</th><th>by epoch</th>${ks.map((k) => `<th>pass^${k}</th>`).join('')}</tr></thead>
<tbody>${rows.join('')}<tr><td>overall</td><td></td><td></td>${overall}</tr></tbody></table>`;
}
