import { closeSync, openSync, writeSync } from 'node:fs';
import type { CycleIndicators } from '../../domain/population/metrics';
import { pointLines, sweepHeader, type SweepPoint } from './sweep';

/**
 * The study's CSV files, written as their rows come rather than at the end, so that the file of a long run grows as it
 * goes and a run stopped part-way (Ctrl-C, a kill) leaves every row that finished, each line whole.
 */

export interface CsvFile {
  write(line: string): void;
  close(): void;
}

/** Opens (truncates) `path` and writes `header`. The path was checked by `preparedOutput` before any work started. */
export function openCsvFile(path: string, header: string): CsvFile {
  const fd = openSync(path, 'w');
  let open = true;
  const write = (line: string) => void writeSync(fd, `${line}\n`);
  write(header);
  return {
    write,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

export interface SweepFile {
  /** A point finished: its lines are written once every earlier point's are, so the file stays in grid order. */
  add(index: number, rows: readonly CycleIndicators[]): void;
  /** Writes the finished points still held back by an unfinished earlier one (after an interruption), then closes. */
  close(): void;
}

export function openSweepFile(path: string, points: readonly SweepPoint[], groupNames: readonly string[], everyCycle: boolean): SweepFile {
  const file = openCsvFile(path, sweepHeader(points, groupNames));
  const waiting = new Map<number, readonly CycleIndicators[]>();
  let next = 0;
  const writePoint = (index: number, rows: readonly CycleIndicators[]) => {
    for (const line of pointLines(points[index]!, rows, groupNames, everyCycle)) file.write(line);
  };
  return {
    add(index, rows) {
      waiting.set(index, rows);
      while (waiting.has(next)) {
        writePoint(next, waiting.get(next)!);
        waiting.delete(next);
        next += 1;
      }
    },
    close() {
      for (const index of [...waiting.keys()].sort((a, b) => a - b)) writePoint(index, waiting.get(index)!);
      waiting.clear();
      file.close();
    },
  };
}
