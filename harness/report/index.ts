/** What the rest of the harness may use of report/: everything else in the folder is its own. */
export { shortNumber } from './epochs';
export { balancesByCycle, type BalanceSeries } from './html/balances';
export { type Citation, citedEvents } from './html/citations';
export { cycleOf } from './html/cycle';
export { escapeHtml } from './html/escape';
export { isReportFormat, renderReport, REPORT_FORMATS, RunSummary, summaryOf } from './report';
export { type RunDescription, WHAT_NEXT, whatRan } from './run-summary';
