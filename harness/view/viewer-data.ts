import type { PassKSummary } from '../../domain/benchmark/pass-k';
import type { DomainEvent } from '../../domain/economy/events';
import type { PairRow, RunLine, SampleLine } from '../evaluation';
import type { Usage } from '../agents';
import type { Citation, BalanceSeries } from '../report';
import type { StateDiagram } from './state-diagram';

/**
 * What the viewer's page is given: the same shapes whether it asks the viewer's server for them as
 * the logs are written, or finds them inlined in a static export. The page only renders them.
 */

/** Running: the log has no summary and its run is still writing it; interrupted: neither. */
export type RunStatus = 'running' | 'finished' | 'interrupted';

export interface RunEntry {
  readonly id: string;
  /** The log's path as the viewer was given it. */
  readonly file: string;
  readonly run: RunLine;
  readonly status: RunStatus;
  /** Samples logged so far, and how many the run has in all (scenarios × epochs). */
  readonly done: number;
  readonly planned: number;
  readonly passed: number;
  readonly usage: Usage;
  readonly cost_usd?: number;
  /** When the run ended, as its log's summary line records it. */
  readonly ended_at?: string;
  /** From the run's start to its end (to its log's last write when it was interrupted, to now while it runs). */
  readonly duration_ms: number;
  /** pass^K over every scenario (K the epochs), once every scenario has run all its epochs. */
  readonly pass_hat_k?: number;
}

export interface SampleRow {
  /** Its place in the log: the sample page's address. */
  readonly index: number;
  readonly line: Omit<SampleLine, 'transcript'>;
  readonly first_failure?: { readonly name: string; readonly detail: string };
  /** The model's tool calls the world refused, by reason, most frequent first (from a model's transcript). */
  readonly failed_calls?: readonly FailedCalls[];
}

export interface FailedCalls {
  readonly tool: string;
  readonly reason: string;
  readonly count: number;
}

export interface RunView {
  readonly entry: RunEntry;
  readonly samples: readonly SampleRow[];
  readonly pass_k?: PassKSummary;
}

export interface SampleView {
  readonly run: RunEntry;
  readonly index: number;
  readonly line: SampleLine;
  readonly trace: readonly DomainEvent[];
  /** Why the trace could not be shown (missing, changed since the log was written). */
  readonly trace_problem?: string;
  /** The cycle of each event, by position. */
  readonly cycles: readonly number[];
  /** Event position → the checks citing it. */
  readonly citations: Readonly<Record<string, readonly Citation[]>>;
  readonly balances: readonly BalanceSeries[];
  readonly agent_under_test: string;
  readonly stderr?: string;
}

export interface CompareView {
  readonly runs: readonly RunEntry[];
  /** Per scenario id, per run id: successes of runs. */
  readonly cells: readonly { readonly id: string; readonly domain: string; readonly byRun: Readonly<Record<string, { readonly passed: number; readonly n: number; readonly tokens: number }>> }[];
  readonly pairs: readonly PairRow[];
}

/** A static export: everything its page shows, inlined. */
export interface StaticData {
  /** The address (hash) the page opens at. */
  readonly start: string;
  readonly runs: readonly RunEntry[];
  readonly runViews: Readonly<Record<string, RunView>>;
  /** By `runId/index`. */
  readonly samples: Readonly<Record<string, SampleView>>;
  readonly machines: readonly StateDiagram[];
  /** By the run ids joined with commas. */
  readonly comparisons: Readonly<Record<string, CompareView>>;
}

export const sampleKeyOf = (runId: string, index: number): string => `${runId}/${index}`;
