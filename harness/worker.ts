import { sweepWorkerScript } from './simulation';
import { badInput, parseCommandLine, runWhenMain } from './cli';
import { codeVersion, QUEUE_OPTIONS, QUEUE_USAGE, openedQueue, serveQueue, workerName } from './queue';
import { hostOf } from './evaluation';

const USAGE = `Usage: npx tsx harness/worker.ts --queue nats://HOST:4222 [--queue-creds FILE]

Takes the runs of queued sweeps (simulate.ts --sweep … --queue …), evaluations (run.ts … --queue …) and
arenas' seeds (arena.ts … --queue …) from
a NATS JetStream server, one at a time, and stores their results there; start one per core on as many
machines as wanted. An evaluation's agent runs here: exec: and mcp: commands from this folder, openai: at
this machine's AGENT_BASE_URL with its AGENT_API_KEY (an arena's agent NAME at its ARENA_<NAME>_BASE_URL and
ARENA_<NAME>_API_KEY first), an HTTP judge with its JUDGE_* settings. A worker runs only
items stamped with its own code version (the hash of its item runner, printed at start): an item from
another checkout is refused, with the reason, and goes back for another worker. It runs until stopped
(Ctrl-C or SIGTERM hands the item under way back at once; a killed worker's item goes to another after
the ack wait). Nothing secret travels with an item.

${QUEUE_USAGE}
  -h, --help          print this help

Exit status: 0 when stopped; 2 on bad input (a bad flag, a server that cannot be reached, has no
JetStream, refuses the credentials, or holds streams of another version of the harness).`;

const OPTIONS = { ...QUEUE_OPTIONS } as const;

export async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  if (values.queue === undefined) throw badInput('--queue nats://HOST:4222 is required (see --help)');
  const script = await sweepWorkerScript();
  const version = codeVersion();
  const queue = await openedQueue(values, `syntropism worker ${workerName()}`);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const model = hostOf(process.env.AGENT_BASE_URL);
  const kinds = `script, exec, mcp, ${model === undefined ? 'not openai (AGENT_BASE_URL is not set)' : `openai (at ${model})`}`;
  log(`worker ${workerName()}: code version ${version}, serving sweep points, scenario samples and arena seeds from ${queue.shown}; agent kinds: ${kinds}`);
  const stopped = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    await Promise.race([serveQueue(queue, { version, script, log, signal: stop.signal }), stopped]);
  } finally {
    await queue.nc.drain().catch(() => undefined);
  }
  // The item under way was handed back; its run, still on its thread, is dropped with the process.
  process.exit(0);
}

runWhenMain(import.meta, main);
