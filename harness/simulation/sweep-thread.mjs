// A worker thread does not inherit the TypeScript loader the main thread runs under (on Node 20
// `--import tsx` in a worker's execArgv is not honoured for a .ts entry), so the thread starts here,
// as plain JavaScript, registers tsx and then loads the sweep worker.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
