import { fileURLToPath } from 'node:url';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { EventData } from '../../domain/economy/events';
import type { Prices } from '../../domain/economy/pricing';
import type { Scenario } from '../../domain/benchmark/scenario';
import { DEFAULT_PRICES } from '../../machines';
import { creditsFor } from './cost-model';
import type { MeasurementSpec, ModuleFiles, Quantity } from './manifest';
import { runSandboxed, sandboxIsolation, type SandboxLimits } from './sandbox';

/**
 * Measures the baseline modules against the modified ones on the same inputs, in the sandbox, and
 * returns the data of the `performance_measured` events the validator judges (validate/performance-comparison.ts,
 * validate/performance-validation.ts, …). Everything in the records is deterministic except the samples of time and of
 * cost (which is billed from the cpu time used); each record says how the sandbox isolated the code
 * measured, which depends on the machine only.
 */

export type PerformanceRecord = EventData<'performance_measured'>;

export interface Measurement {
  /** Per metric in the manifest's order: the baseline record, then the modified one. */
  readonly records: readonly PerformanceRecord[];
  /** Why a variant, or the whole measurement, produced no samples. */
  readonly failures: readonly string[];
}

export const DEFAULT_TRIALS = 10;
export const DEFAULT_MEASUREMENT_LIMITS: SandboxLimits = { time_limit_ms: 60_000, memory_limit_mb: 512 };

export interface MeasurementRequest {
  readonly spec: MeasurementSpec;
  readonly baseline: ModuleFiles;
  readonly modified: ModuleFiles;
  /** Gives the number of trials (unless the manifest fixes it) and the initial_state fields the workload needs. */
  readonly scenario: Scenario;
  readonly prices?: Prices;
  readonly limits?: SandboxLimits;
}

const TRIALS_RUNNER = fileURLToPath(new URL('./trials-runner.mjs', import.meta.url));

const Samples = t.type({
  time_ms: t.array(t.number),
  cpu_seconds: t.array(t.number),
  tokens: t.array(t.number),
  score: t.array(t.number),
});
type Samples = t.TypeOf<typeof Samples>;
const VariantOutcome = t.union([t.type({ samples: Samples }), t.type({ error: t.string })]);
const TrialsReport = t.type({ baseline: VariantOutcome, modified: VariantOutcome });

const VARIANTS = ['baseline', 'modified'] as const;

/** The manifest's count, else the scenario's `statistical_significance.num_trials`, else DEFAULT_TRIALS. */
export function trialsFor(spec: MeasurementSpec, scenario: Scenario): number {
  return spec.trials ?? scenario.validation.statistical_significance?.num_trials ?? DEFAULT_TRIALS;
}

function contextFor(spec: MeasurementSpec, scenario: Scenario): Either<string, Record<string, unknown>> {
  const missing = spec.context.filter((field) => scenario.initial_state[field] === undefined);
  if (missing.length > 0) {
    return left(missing.map((field) => `$.initial_state.${field}: expected a value for the workload, got nothing`).join('; '));
  }
  return right(Object.fromEntries(spec.context.map((field) => [field, scenario.initial_state[field]])));
}

function samplesOf(quantity: Quantity, samples: Samples, prices: Prices): number[] {
  switch (quantity) {
    case 'time_ms':
      return samples.time_ms;
    case 'score':
      return samples.score;
    case 'cost_credits':
      return samples.cpu_seconds.map((cpu_seconds, index) => creditsFor({ cpu_seconds, tokens: samples.tokens[index] ?? 0 }, prices));
  }
}

export function measurePerformance(request: MeasurementRequest): Measurement {
  const { spec, scenario, prices = DEFAULT_PRICES } = request;
  const target = spec.target_module;
  const context = contextFor(spec, scenario);
  if (isLeft(context)) return { records: [], failures: [`measurement of ${target}: ${context.left}`] };
  const report = runSandboxed(
    {
      file: TRIALS_RUNNER,
      export: 'runTrials',
      argument: {
        workload: spec.workload,
        variants: { baseline: request.baseline, modified: request.modified },
        trials: trialsFor(spec, scenario),
        context: context.right,
      },
      readable: [spec.workload, ...Object.values(request.baseline), ...Object.values(request.modified)],
    },
    TrialsReport,
    request.limits ?? DEFAULT_MEASUREMENT_LIMITS,
  );
  if (isLeft(report)) return { records: [], failures: [`measurement of ${target}: ${report.left}`] };
  const isolation = sandboxIsolation();
  const failures = VARIANTS.flatMap((variant) => {
    const outcome = report.right[variant];
    return 'error' in outcome ? [`${variant} variant of ${target}: ${outcome.error}`] : [];
  });
  const records = Object.entries(spec.metrics).flatMap(([metric, quantity]) =>
    VARIANTS.flatMap((variant): PerformanceRecord[] => {
      const outcome = report.right[variant];
      return 'error' in outcome ? [] : [{ target_module: target, variant, metric, samples: samplesOf(quantity, outcome.samples, prices), isolation }];
    }),
  );
  return { records, failures };
}
