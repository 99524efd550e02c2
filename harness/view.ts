import { existsSync, writeFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../domain/codec/error-message';
import { badInput, parseCommandLine, runWhenMain, wholeNumberOption, preparedOutput } from './cli';
import { LogSource, startViewer, staticViewer } from './view/index';

const DEFAULT_PORT = '7300';

const USAGE = `Usage: npx tsx harness/view.ts [LOG_DIR | LOG] [--port N] [--out FILE]

Shows run logs in the browser: serves a local page on 127.0.0.1 (its address is printed) that reads
the logs of LOG_DIR (default logs/), or the one LOG, as they are written.
  Runs       newest first: date, agent and model, scenarios × epochs, passed, pass^k, tokens, cost,
             duration, and whether it is running, finished or interrupted (a running one updates)
  A run      its header (agent, model, judge, seeds, code version, totals) and its samples, filtered
             by verdict, domain or text and sorted; pass^k and pass@k per domain; the judges' mean
  A sample   why it failed; each check with the events it cites; the transcript (every message the
             model was sent and every tool call it made with its arguments and result, or the lines
             exchanged with an exec/MCP agent); the events; the balances; the machines' statecharts
  Compare    tick two or more runs: scenarios × runs, regressions and improvements, paired intervals

  --port N     the port to serve on (default ${DEFAULT_PORT}; 0 for any free port)
  --out FILE   write the same viewer as one self-contained HTML file instead of serving it
  -h, --help   print this help

Exit status: 0 when stopped with Ctrl-C or the file was written; 2 on bad input (a bad flag, a
folder or log that does not exist, a log that cannot be read, naming its line; a port in use).`;

const OPTIONS = {
  port: { type: 'string', default: DEFAULT_PORT },
  out: { type: 'string' },
} as const;

function interrupted(): Promise<void> {
  return new Promise((resolve) => void process.once('SIGINT', () => resolve()));
}

export async function view(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(args, USAGE, OPTIONS, 1);
  const path = positionals[0] ?? 'logs';
  if (!existsSync(path)) throw badInput(`${path}: no such log folder or log${positionals[0] === undefined ? ' (run harness/run.ts first, or name a LOG_DIR)' : ''}`);
  const source = new LogSource(path);
  if (values.out !== undefined) {
    const out = preparedOutput('--out', values.out, 'file');
    const { logs, problems } = source.all(Date.now());
    if (logs.length === 0) throw badInput(`${path}: no run log to export${problems.length === 0 ? '' : `: ${problems.join('; ')}`}`);
    const html = await staticViewer(logs, { title: 'Syntropism runs', open: logs.length === 1 ? 'first run' : 'runs' });
    if (isLeft(html)) throw badInput(html.left);
    try {
      writeFileSync(out, html.right);
    } catch (error) {
      throw badInput(`--out: cannot write ${out}: ${errorMessage(error)}`);
    }
    console.error(`viewer: ${out}`);
    return 0;
  }
  const port = wholeNumberOption('port', values.port);
  if (port > 65535) throw badInput(`--port: expected a port number, got ${values.port}`);
  let viewer;
  try {
    viewer = await startViewer(source, port);
  } catch (error) {
    throw badInput(`--port ${port}: cannot serve: ${errorMessage(error)}`);
  }
  console.log(`viewer: ${viewer.url} (the logs of ${path}; Ctrl-C to stop)`);
  await interrupted();
  await viewer.close();
  return 0;
}

runWhenMain(import.meta, view);
