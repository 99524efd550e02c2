/**
 * The progress line of a run on a terminal: done/total, passed, failed, elapsed and the time left
 * at the pace so far, rewritten in place on stderr. Nothing at all when stderr is not a terminal,
 * so that logs and pipes stay clean.
 */

const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;

export interface Progress {
  finished(passed: boolean): void;
  end(): void;
}

export function progressLine(total: number, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return { finished: () => undefined, end: () => undefined };
  const start = now();
  let passed = 0;
  let failed = 0;
  const draw = () => {
    const done = passed + failed;
    const elapsed = now() - start;
    const eta = done === 0 ? '?' : seconds((elapsed / done) * (total - done));
    stream.write(`\r\x1b[K${done}/${total} done, ${passed} passed, ${failed} failed, ${seconds(elapsed)} elapsed, ETA ${eta}`);
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
