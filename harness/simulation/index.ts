/** What the rest of the harness may use of simulation/: everything else in the folder is its own. */
export { openCsvFile, openSweepFile } from './csv-file';
export { csvCell, formatNumber, metricsCollector, metricsHeader, metricsLine } from './metrics';
export { population } from './population';
export { runStudy } from './run-study';
export { agentsConfig, assign, decodeStudy, type RawConfig, readConfigFile, studyAgents, studyWorld } from './study';
export { renderStudyHtml } from './study-html';
export { defaultWorkers, parseSeeds, parseSweep, type PointResult, repeatedAxis, runSweep, type SweepAxis, type SweepPoint, sweepPoints, sweepThread } from './sweep';
export { sweepWorkerScript } from './sweep-bundle';
