/** The fixed parts of the report page: its style and its script. Neither holds any data of a run. */

export const PAGE_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 16px 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-top: 1px solid #d0d7de; padding-top: 16px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, .detail { font: 12px/1.4 ui-monospace, monospace; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.summary { font-size: 16px; margin: 4px 0 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; color: #fff; font-size: 13px; }
.badge.pass { background: #1a7f37; }
.badge.fail { background: #cf222e; }
tr.check.failed td:first-child { color: #cf222e; font-weight: 700; }
tr.check.passed td:first-child { color: #1a7f37; }
tr.check.failed { background: #fff0f0; }
tr.check { cursor: pointer; }
tr.check.focused { outline: 2px solid #1f6feb; }
.detail { white-space: pre-wrap; word-break: break-word; }
.scroll { overflow: auto; max-height: 640px; border: 1px solid #d0d7de; }
.sequence-diagram text { font: 11px ui-monospace, monospace; fill: #1f2328; }
.sequence-diagram .lane-name { font-weight: 700; }
.sequence-diagram .lane-role { fill: #57606a; }
.sequence-diagram .lifeline { stroke: #8c959f; stroke-dasharray: 3 3; }
.sequence-diagram .row { fill: transparent; }
.sequence-diagram .event:hover .row { fill: #eaeef2; }
.sequence-diagram .event.matched .row { fill: #fff3b0; }
.sequence-diagram .event.failing .row { fill: #ffd0d0; }
.sequence-diagram .event.focused .row { fill: #b6d7ff; }
.sequence-diagram .message { stroke: #1f2328; }
.sequence-diagram .position { fill: #57606a; }
.sequence-diagram .cycle-start line { stroke: #1f6feb; }
.sequence-diagram .cycle-start text { fill: #1f6feb; font-weight: 700; }
.legend-item { display: inline-block; padding: 0 6px; margin-right: 8px; }
.legend-item.matched { background: #fff3b0; }
.legend-item.failing { background: #ffd0d0; }
.balance-chart .axis { stroke: #57606a; }
.balance-chart text { font: 11px system-ui, sans-serif; }
.balance-chart .balance-line path { stroke-width: 1.5; }
.balance-chart .balance-line.agent-under-test path { stroke-width: 3.5; }
.machine-body { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.state-diagram rect { fill: #f6f8fa; stroke: #57606a; }
.state-diagram .machine rect { fill: #eaeef2; stroke-dasharray: 4 2; }
.state-diagram .initial rect { stroke: #1a7f37; stroke-width: 2; }
.state-diagram .final rect { stroke-width: 3; }
.state-diagram text { font: 12px ui-monospace, monospace; }
.state-diagram .transition { fill: none; stroke: #1f6feb; }
.state-diagram .transition-number { fill: #1f6feb; font-size: 11px; font-weight: 700; }
.transitions { font-size: 12px; }
`;

/**
 * Clicking a check highlights the events it cites. The page marks itself `data-report-ready` once the
 * script has run, and `data-report-error` on any script error or blocked load, so that a headless
 * browser can tell a page that rendered from one that did not.
 */
export const PAGE_SCRIPT = `
(() => {
  const page = document.documentElement;
  window.addEventListener('error', (error) => { page.dataset.reportError = String(error.message); });
  document.addEventListener('securitypolicyviolation', (violation) => { page.dataset.reportError = 'blocked ' + violation.blockedURI; });
  for (const row of document.querySelectorAll('tr.check')) {
    row.addEventListener('click', () => {
      const section = row.closest('section.scenario');
      const focusing = !row.classList.contains('focused');
      for (const focused of section.querySelectorAll('.focused')) focused.classList.remove('focused');
      if (!focusing) return;
      row.classList.add('focused');
      const cited = section.querySelectorAll('.event[data-checks~="' + CSS.escape(row.dataset.check) + '"]');
      for (const event of cited) event.classList.add('focused');
      if (cited.length > 0) cited[0].scrollIntoView({ block: 'center' });
    });
  }
  page.dataset.reportReady = String(document.querySelectorAll('section.scenario').length);
})();
`;
