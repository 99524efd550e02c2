/** What the rest of the harness may use of model-based/: everything else in the folder is its own. */
export { agentModel } from './agent';
export { machineCoverage, type MachineCoverage } from './coverage';
export { generatePaths } from './generate';
export { scriptSkeleton } from './skeletons';
