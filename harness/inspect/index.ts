/** What the rest of the harness may use of inspect/: everything else in the folder is its own. */
export { DEFAULT_BRIDGE_PORT } from './bridge';
export { inspectRun } from './inspect-run';
