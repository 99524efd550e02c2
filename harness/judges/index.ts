/** What the rest of the harness may use of judges/: everything else in the folder is its own. */
export { type Judge } from './judge';
export { judgeTrace } from './judge-blocks';
export { judgeNamed } from './judge-named';
export { createRubricJudge } from './rubric/rubric-judge';
export { JUDGEMENTS_CHECK, judgeRecordedTrace, type TraceJudgements } from './trace-judgements';
