// The child side of the sandbox (sandbox.ts). Reads `{file, export, argument}` as JSON on stdin, calls
// that export of that file with the argument, and answers `{ok: true, value}` or `{ok: false, error}` as
// JSON on file descriptor 3, which agent code printing to stdout or stderr cannot mix into. It exits as
// soon as it has answered, so that a timer left behind by agent code cannot keep it alive.
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describeError } from './agent-modules.mjs';

const ANSWER_FD = 3;

async function answer(request) {
  try {
    const task = await import(pathToFileURL(request.file).href);
    return { ok: true, value: await task[request.export](request.argument) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

writeSync(ANSWER_FD, JSON.stringify(await answer(JSON.parse(readFileSync(0, 'utf8')))));
process.exit(0);
