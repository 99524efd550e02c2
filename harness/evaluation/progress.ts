/**
 * The progress line of a run on a terminal: done/total, passed, failed, elapsed, on a queue the
 * workers whose runs came back, and the time left at the pace so far, rewritten in place on stderr.
 * Nothing at all when stderr is not a terminal, so that logs and pipes stay clean.
 */

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;

export interface Progress {
  finished(passed: boolean): void;
  end(): void;
}

export const workersSeenText = (workers: number): string => `${workers} worker${workers === 1 ? '' : 's'} seen`;

export interface ProgressOptions {
  /** On a queue: how many workers' runs came back so far. */
  readonly workersSeen?: () => number;
  readonly stream?: NodeJS.WriteStream;
  readonly now?: () => number;
}

export function progressLine(total: number, { workersSeen, stream = process.stderr, now = Date.now }: ProgressOptions = {}): Progress {
  if (!stream.isTTY) return { finished: () => undefined, end: () => undefined };
  const start = now();
  let passed = 0;
  let failed = 0;
  const draw = () => {
    const done = passed + failed;
    const elapsed = now() - start;
    const eta = done === 0 ? '?' : seconds((elapsed / done) * (total - done));
    const workers = workersSeen === undefined ? '' : `, ${workersSeenText(workersSeen())}`;
    stream.write(`\r\x1b[K${done}/${total} done, ${passed} passed, ${failed} failed, ${seconds(elapsed)} elapsed${workers}, ETA ${eta}`);
  };
  draw();
  return {
    finished(ok) {
      if (ok) passed++;
      else failed++;
      draw();
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
