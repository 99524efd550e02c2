/** What the rest of the harness may use of scenarios/: everything else in the folder is its own. */
export { isFile, PROJECT_SCENARIOS_DIR, rubricFileOf, type ScenarioRef, scriptFileOf, workspaceFolderOf } from './companions';
export { formatScenarioError, type LoadedScenario, loadScenarioDir, loadScenarioFile } from './constructor';
export { cyclesOf, loadScript, type Script, ScriptKind, type WorldFixture, worldFixtureOf } from './scripts';
export { isFileName, selectScenarios } from './selection';
export { parseTrace, readTraceFile } from './trace-file';
