import { workersSeenText } from '../evaluation';
import type { SweepProgress } from './queued-sweep';

/**
 * A queued sweep's progress on a terminal, rewritten in place on stderr: runs done of the total, the workers whose
 * results came in, and the time left at this submitter's pace. Nothing when stderr is not a terminal.
 */
export function queueProgressLine(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): { update(progress: SweepProgress): void; end(): void } {
  if (!stream.isTTY) return { update: () => undefined, end: () => undefined };
  const started = now();
  return {
    update({ done, total, workers, doneHere }) {
      const elapsed = now() - started;
      const eta = doneHere === 0 ? '?' : `${Math.round(((elapsed / doneHere) * (total - done)) / 1000)}s`;
      stream.write(`\r\x1b[Ksweep: ${done}/${total} runs done, ${workersSeenText(workers)}, ETA ${eta}`);
    },
    end: () => stream.write('\n'),
  };
}
