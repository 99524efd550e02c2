import { parseArgs, type ParseArgsConfig } from 'node:util';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * Ends a command with a message for the user and an exit code, without a stack trace:
 * exit code 0 prints the message to stdout (e.g. `--help`), any other code to stderr.
 */
export class CommandExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit code for bad input: a bad flag, a missing file, an invalid scenario. */
export const EXIT_BAD_INPUT = 2;
/** Exit code for an error nobody anticipated: a bug, reported in one line rather than a stack trace. */
export const EXIT_UNEXPECTED = 1;

export function badInput(message: string): CommandExit {
  return new CommandExit(message, EXIT_BAD_INPUT);
}

type Options = NonNullable<ParseArgsConfig['options']>;

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--seed -3` as `--seed=-3`: parseArgs takes a value that starts with `-` for an option and calls it
 * ambiguous, so the value of an option that takes one is attached when it reads as a negative number.
 */
function withNegativeValues(args: readonly string[], options: Options): string[] {
  return args.flatMap((arg, index) => {
    const previous = args[index - 1];
    if (previous !== undefined && NEGATIVE_NUMBER.test(arg) && takesValue(previous, options)) return [];
    const next = args[index + 1];
    return next !== undefined && NEGATIVE_NUMBER.test(next) && takesValue(arg, options) ? [`${arg}=${next}`] : [arg];
  });
}

function takesValue(arg: string, options: Options): boolean {
  return arg.startsWith('--') && !arg.includes('=') && options[arg.slice(2)]?.type === 'string';
}

/** A number as typed (`-5`), anything else quoted (`"abc"`), in a message saying what was expected. */
function shownValue(text: string): string {
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? text : JSON.stringify(text);
}

/** `--flag N` where N is a whole number, negative ones too (a seed). */
export function wholeNumberOption(flag: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw badInput(`--${flag}: expected a whole number, got ${shownValue(text)}`);
  return Number(text);
}

/** `--flag N` where N is 1 or more (a count). */
export function positiveIntegerOption(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw badInput(`--${flag}: expected a positive integer, got ${shownValue(text)}`);
  return Number(text);
}

/** `--flag X` where X is a number above 0 (a duration). */
export function positiveNumberOption(flag: string, text: string): number {
  const number = Number(text);
  if (text.trim() === '' || !Number.isFinite(number) || number <= 0) throw badInput(`--${flag}: expected a positive number, got ${shownValue(text)}`);
  return number;
}

/** `--flag X` where X is a number of 0 or more (an amount). */
export function nonNegativeNumberOption(flag: string, text: string): number {
  const number = Number(text);
  if (text.trim() === '' || !Number.isFinite(number) || number < 0) throw badInput(`--${flag}: expected a non-negative number, got ${shownValue(text)}`);
  return number;
}

/**
 * Parses `args` strictly against `options` plus a built-in `--help`/`-h`, which ends the command
 * with `usage`. A flag it does not know, or more positionals than `maxPositionals`, is a one-line
 * `CommandExit` with code 2.
 */
export function parseCommandLine<O extends Options>(args: string[], usage: string, options: O, maxPositionals: number) {
  const config = {
    args: withNegativeValues(args, options),
    options: { ...options, help: { type: 'boolean', short: 'h' } } as O & { help: { type: 'boolean'; short: 'h' } },
    allowPositionals: true,
    strict: true,
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    // Node's message carries a second sentence on `--` escaping; the first says what was wrong.
    const message = errorMessage(error);
    throw badInput(`${message.split(/\.\s/)[0] ?? message} (see --help)`);
  }
  const { help }: { help?: boolean } = parsed.values;
  if (help === true) throw new CommandExit(usage, 0);
  if (parsed.positionals.length > maxPositionals) {
    throw badInput(`unexpected argument '${parsed.positionals[maxPositionals]}' (see --help)`);
  }
  return parsed;
}

function isEntryModule(meta: ImportMeta): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    // Node loads modules by their real path, so a symlinked entry must be resolved to compare.
    return realpathSync(entry) === fileURLToPath(meta.url);
  } catch {
    return false;
  }
}

/**
 * Runs `main` with the command-line arguments when `meta` is the entry module (so the module stays
 * importable by tests), and turns its outcome into an exit code. A `CommandExit` prints its message
 * only; any other error prints one `error:` line and exits 1.
 */
export function runWhenMain(meta: ImportMeta, main: (args: string[]) => number | Promise<number>): void {
  if (!isEntryModule(meta)) return;
  // A reader that stops early (`| head`) is not an error of the command: stop writing, without a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        if (error instanceof CommandExit) {
          (error.exitCode === 0 ? process.stdout : process.stderr).write(`${error.message}\n`);
          process.exitCode = error.exitCode;
        } else {
          process.stderr.write(`error: ${errorMessage(error)}\n`);
          process.exitCode = EXIT_UNEXPECTED;
        }
      },
    );
}
