/** What the rest of the harness may use of cli/: everything else in the folder is its own. */
export { badInput, CommandExit, EXIT_BAD_INPUT, EXIT_UNEXPECTED, nonNegativeNumberOption, parseCommandLine, positiveIntegerOption, positiveNumberOption, runWhenMain, wholeNumberOption } from './cli';
export { EXIT_INTERRUPTED, onInterrupt } from './interrupt';
export { existingFolder, preparedOutput, prepareOutput } from './output-path';
