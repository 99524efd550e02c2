/** What the rest of the harness may use of self-improvement/: everything else in the folder is its own. */
export { createCodeWorkspace, type SelfImprovementWorkspace } from './workspace';
