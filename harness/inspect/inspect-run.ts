import { isLeft, right, type Either } from 'fp-ts/lib/Either.js';
import type { InspectionEvent, Observer } from 'xstate';
import type { BridgeOptions } from './bridge';
import { startInspection } from './inspection';

/** What a command's inspection flag does: the run, inspected live, and its final state kept on view. */

export interface InspectRunOptions {
  readonly bridge?: BridgeOptions;
  /** Keep the bridge up after the run until Ctrl-C (false for `--no-wait`). */
  readonly wait: boolean;
  readonly log: (line: string) => void;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => void process.once('SIGINT', () => resolve()));
}

/**
 * Starts the bridge, prints the page to open, runs `run` with the inspector to pass to
 * `createActor(root, { inspect })`, and returns its result once every event has reached the bridge
 * and, when waiting, Ctrl-C was pressed. A Left when the bridge cannot start.
 */
export async function inspectRun<Result>(
  run: (inspect: Observer<InspectionEvent>) => Result | Promise<Result>,
  options: InspectRunOptions,
): Promise<Either<string, Result>> {
  const started = await startInspection(options.bridge);
  if (isLeft(started)) return started;
  const session = started.right;
  try {
    options.log(`Inspecting the run: open ${session.pageUrl} in a browser.`);
    const result = await run(session.inspect);
    await session.delivered();
    if (options.wait) {
      options.log(`The run is over (${session.eventCount()} inspection events); its final state stays on ${session.pageUrl} until Ctrl-C.`);
      await interrupted();
    } else {
      // The address printed before the run goes dead now: say so rather than leave it looking live.
      options.log(`The run is over (${session.eventCount()} inspection events) and the bridge on ${session.pageUrl} has closed.`);
    }
    return right(result);
  } finally {
    await session.close();
  }
}
