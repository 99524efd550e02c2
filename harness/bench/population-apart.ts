import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWhenMain } from '../cli';
import { benchPlain, benchPopulation, type PopulationRun } from './population';
import { peakRssMb } from './timing';

/**
 * A population run in a process of its own, as a user's `simulate.ts` runs: its peak memory is then
 * its own rather than that of every run the bench made before it, and no run warms the compiler or
 * fills the heap for the next.
 */

export type Economy = 'engine' | 'plain';

/** The engine's run also counts its events and times its world's creation. */
export type ApartRun = PopulationRun & { readonly events_per_sec?: number; readonly create_ms?: number; readonly peak_rss_mb: number };

const ECONOMIES: readonly Economy[] = ['engine', 'plain'];

/** tsx's loader, found from this file rather than from the folder the bench was started in. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Why the child failed: the one line it says so in, else the first it wrote (a loader's own failure, say). */
function reasonIn(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  return lines.find((line) => line.startsWith('error: ')) ?? lines[0] ?? 'nothing said';
}

/** Runs one traced population run of `economy` in a child process, and resolves with its figures; rejects, saying why, if the child fails. */
export function runPopulationApart(economy: Economy, agents: number, cycles: number): Promise<ApartRun> {
  return new Promise((resolve, reject) => {
    // The child loads TypeScript as the bench does, whether the bench was started by tsx or by a test runner.
    const child = fork(fileURLToPath(import.meta.url), [economy, String(agents), String(cycles)], { execArgv: ['--import', TSX_LOADER], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let figures: ApartRun | undefined;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('message', (message) => (figures = message as ApartRun));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (figures !== undefined && code === 0) resolve(figures);
      else reject(new Error(`the ${economy} run of ${agents} agents x ${cycles} cycles in its own process ended with ${signal ?? `exit ${code}`}: ${reasonIn(stderr)}`));
    });
  });
}

async function runChild(args: string[]): Promise<number> {
  if (process.send === undefined) throw new Error('a population run apart is started by the bench, which reads its figures');
  try {
    const [economy, agents, cycles] = [args[0] as Economy, Number(args[1]), Number(args[2])];
    if (!ECONOMIES.includes(economy) || !(Number.isSafeInteger(agents) && agents > 0 && Number.isSafeInteger(cycles) && cycles > 0)) {
      throw new Error(`expected engine or plain, then positive whole numbers of agents and cycles, got ${args.join(' ')}`);
    }
    const run = economy === 'engine' ? await benchPopulation(agents, cycles) : await benchPlain(agents, cycles, true);
    const figures: ApartRun = { ...run, peak_rss_mb: peakRssMb() };
    await new Promise<void>((sent) => process.send?.(figures, undefined, {}, () => sent()));
    return 0;
  } finally {
    // The channel would keep the process alive.
    process.disconnect();
  }
}

runWhenMain(import.meta, runChild);
