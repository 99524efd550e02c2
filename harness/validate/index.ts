/** What the rest of the harness may use of validate/: everything else in the folder is its own. */
export { describeEvent, fieldValue, mismatches } from './match';
export { validateTrace } from './validate';
export { Check, runChecksOf, ScenarioVerdict, withRunChecks } from './verdict';
