/** What the rest of the harness may use of replay/: everything else in the folder is its own. */
export { type BenchmarkOptions, planBenchmark, type Planned, runPlanned, type ScenarioRun, stderrFileOf } from './benchmark';
export { replayScenario } from './replay';
export { VisitedStates } from './visited-states';
