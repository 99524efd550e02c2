/**
 * Ctrl-C during a long command that has something worth keeping: the first SIGINT asks the work to stop at its next
 * boundary (a cycle, a sweep point), so that the command writes what finished and says so; a second one, for work that
 * does not reach a boundary soon, runs `atOnce` (write what finished, synchronously) and ends the process.
 */

/** The exit status of a command stopped by Ctrl-C: 128 + SIGINT's number, as a shell reports it. */
export const EXIT_INTERRUPTED = 130;

export interface Interrupt {
  /** Aborted at the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Gives SIGINT its default meaning back. */
  release(): void;
}

/** `stopping` says what the first Ctrl-C does ("stopping after this cycle"). */
export function onInterrupt(stopping: string, atOnce: () => void): Interrupt {
  const controller = new AbortController();
  const handle = () => {
    if (!controller.signal.aborted) {
      process.stderr.write(`interrupted: ${stopping} (Ctrl-C again to stop at once)\n`);
      controller.abort();
      return;
    }
    atOnce();
    process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', handle);
  return { signal: controller.signal, release: () => process.off('SIGINT', handle) };
}
