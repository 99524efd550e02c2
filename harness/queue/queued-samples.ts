import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Sample } from '../evaluation';
import type { Planned, ScenarioRun } from '../replay';
import type { QueueConnection } from './connection';
import { sampleName } from './live-events';
import type { SampleItem } from './messages';
import { QueuedItems } from './queued-items';
import { itemId } from './streams';

/**
 * An evaluation's samples run by the queue's workers, in place of runPlanned on this machine: each sample becomes a
 * work item (unless its result is stored, or its item still queued, as after the submitter died), and its run comes
 * back from the results stream. Everything else — the traces, the log lines, the report — is the local path's own
 * code, so the output is a local run's. The queue's run id is the log's, tied to this host and log file, so that
 * `--resume LOG` finds the results its first submitter left.
 */

export interface SampleSettings {
  readonly judge: string;
  /** The agent options as typed, without the ones that name this machine's files (pricing, model cache). */
  readonly agent: Readonly<Record<string, string>>;
  readonly version: string;
  /** `--publish-events`: the subject prefix, and the run (the log's id) the events' headers name. */
  readonly events?: { readonly prefix: string; readonly run: string };
}

export const queueRunIdOf = (logFile: string): string =>
  `${basename(logFile, '.jsonl')}-${createHash('sha256').update(`${hostname()}\0${resolve(logFile)}`).digest('hex').slice(0, 6)}`;

/** A worker's run, with how long it took on the worker (not the time it waited in the queue). */
type WorkerRun = ScenarioRun & { readonly duration_ms: number };

export class QueuedSamples {
  private readonly items: QueuedItems<WorkerRun>;

  constructor(
    queue: QueueConnection,
    readonly runId: string,
    private readonly settings: SampleSettings,
  ) {
    this.items = new QueuedItems(queue, runId, (result) => ('run' in result ? right({ ...result.run, duration_ms: Math.round(result.run_ms) }) : undefined));
  }

  /** The workers whose runs came back so far. */
  get workersSeen(): number {
    return this.items.workersSeen;
  }

  /** The run of one sample, by a worker. */
  async run(sample: Sample, planned: Planned): Promise<Either<string[], WorkerRun>> {
    const run = await this.items.run(sample.index, () => this.itemOf(sample, planned), `${sample.loaded.id} epoch ${sample.epoch}`);
    return isLeft(run) ? left([run.left]) : run;
  }

  private itemOf(sample: Sample, { loaded, script }: Planned): SampleItem {
    return {
      kind: 'scenario-sample',
      item_id: itemId(this.runId, sample.index),
      run_id: this.runId,
      index: sample.index,
      code_version: this.settings.version,
      scenario: { file: loaded.file, text: readFileSync(loaded.file, 'utf8') },
      script: isLeft(script) ? { missing: script.left } : { file: script.right.file, text: readFileSync(script.right.file, 'utf8') },
      epoch: sample.epoch,
      seed: sample.seed,
      judge: this.settings.judge,
      agent: { ...this.settings.agent },
      ...(this.settings.events === undefined ? {} : { events: { ...this.settings.events, sample: sampleName(sample) } }),
    };
  }

  close(): Promise<void> {
    return this.items.close();
  }
}
