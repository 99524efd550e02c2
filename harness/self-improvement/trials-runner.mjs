// Timed trials of a workload against the baseline and the modified modules, inside the sandbox (measurement.ts).
import { pathToFileURL } from 'node:url';
import { describeError, importModules } from './agent-modules.mjs';

/**
 * A workload exports:
 * - `prepare({ trial, random, context })` → the input of one run: `random()` is a generator seeded by the
 *   trial number, so every variant gets the same input; `context` holds the scenario fields the manifest asks for;
 * - `execute(modules, input)` → output: the call of the agent's code, the only part that is timed;
 * - `assess(input, output)` → `{ score, tokens? }`: how good the output is, and the tokens it consumed.
 *
 * Variants alternate within each trial (baseline first in even trials, modified first in odd ones), so that
 * a change in the machine's load during the measurement weighs on both alike. One unrecorded warm-up run per
 * variant comes first, so that no sample carries the compiler's start-up. A variant whose run throws stops
 * there and answers with the reason; the other goes on.
 *
 * @param {{ workload: string, variants: Record<string, Record<string, string>>, trials: number, context: object }} request
 * @returns {Record<string, { samples: { time_ms: number[], cpu_seconds: number[], tokens: number[], score: number[] } } | { error: string }>}
 */
export async function runTrials({ workload, variants, trials, context }) {
  const plan = await import(pathToFileURL(workload).href);
  const order = Object.keys(variants);
  const runs = {};
  for (const variant of order) {
    try {
      runs[variant] = { modules: await importModules(variants[variant], variant), samples: { time_ms: [], cpu_seconds: [], tokens: [], score: [] } };
    } catch (error) {
      runs[variant] = { error: `the modules do not load: ${describeError(error)}` };
    }
  }
  const measure = (variant, trial, record) => {
    const run = runs[variant];
    if (run.error !== undefined) return;
    try {
      const measured = runOnce(plan, run.modules, plan.prepare({ trial, random: seededRandom(trial), context }));
      if (record) for (const [quantity, value] of Object.entries(measured)) run.samples[quantity].push(value);
    } catch (error) {
      runs[variant] = { error: `trial ${trial}: ${describeError(error)}` };
    }
  };
  for (const variant of order) measure(variant, 0, false);
  for (let trial = 0; trial < trials; trial++) {
    for (const variant of trial % 2 === 0 ? order : [...order].reverse()) measure(variant, trial, true);
  }
  return Object.fromEntries(order.map((variant) => {
    const { error, samples } = runs[variant];
    return [variant, error === undefined ? { samples } : { error }];
  }));
}

function runOnce(plan, modules, input) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const output = plan.execute(modules, input);
  const time_ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const { score, tokens = 0 } = plan.assess(input, output);
  return { time_ms, cpu_seconds: (cpu.user + cpu.system) / 1e6, tokens, score };
}

/** mulberry32: a small, fast generator of numbers in [0, 1), the same sequence for the same seed. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
