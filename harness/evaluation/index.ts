/** What the rest of the harness may use of evaluation/: everything else in the folder is its own. */
export { compareLogs, type Comparison, type PairRow } from './comparison';
export { readStoredTrace, sampleLineOf } from './evaluation';
export { loggedRun } from './logged-run';
export { workersSeenText } from './progress';
export { rescoreLog } from './rescore';
export { readLogLines, readRunLog, rewriteRunLog, type RunLine, type RunLog, RunLogWriter, type SampleLine, withoutTiming } from './run-log';
export { hashedFile, hostOf, newRunId, versions } from './run-record';
export { type Sample, sampleKey, samplesOf, traceFileName } from './samples';
export { runTrivialAgents, type TrivialRun } from './trivial-check';
