/** What the rest of the harness may use of judges/: everything else in the folder is its own. */
export { type Judge, type JudgeRequest, type JudgeVerdict } from './judge';
export { judgeTrace } from './judge-blocks';
export { cachedJudge } from './judge-cache';
export { JUDGES, judgeNamed } from './judge-named';
export { Rubric } from './rubric/rubric';
export { createRubricJudge } from './rubric/rubric-judge';
export { JUDGEMENTS_CHECK, judgeRecordedTrace, type TraceJudgements } from './trace-judgements';
