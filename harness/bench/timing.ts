/** How the bench times its work, measures its memory and rounds its figures. */

export function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

/** Milliseconds to a tenth. */
export const round = (ms: number) => Math.round(ms * 10) / 10;

/** One figure over its reference, to two decimals. */
export const ratio = (measured: number, reference: number) => Math.round((measured / reference) * 100) / 100;

/** The process's peak resident memory so far, in MiB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
