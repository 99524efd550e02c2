import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeActual } from '../../domain/codec/decode';
import type { Scenario } from '../../domain/benchmark/scenario';
import { DataSources, initialStateField } from '../../domain/benchmark/initial-state';
import type { Trace } from '../../domain/economy/events';
import { containsText, describeEvent } from './match';
import type { Check } from './verdict';

type OutputValidationBlock = NonNullable<Scenario['validation']['output_validation']>;

interface Submitted {
  /** Position in the trace of the `output.submit` call. */
  readonly index: number;
  readonly output: unknown;
}

const NOTHING_SUBMITTED = 'no output was submitted (tool_call_initiated of output.submit)';

/** The output of the last `output.submit` call, parsed when it was submitted as a JSON string. */
export function submittedOutput(trace: Trace): Submitted | undefined {
  for (let index = trace.length - 1; index >= 0; index -= 1) {
    const event = trace[index]!;
    if (event.type === 'tool_call_initiated' && event.data.tool_name === 'output.submit') {
      return { index, output: parseIfJson(event.data.arguments['output']) };
    }
  }
  return undefined;
}

function parseIfJson(output: unknown): unknown {
  if (typeof output !== 'string') return output;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}

function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasKey(item, key));
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).includes(key) || Object.values(value).some((item) => hasKey(item, key));
}

/**
 * A source is represented when its name is a key somewhere in the output (at any depth) or occurs,
 * ignoring case, in one of its string values.
 */
export function representsSource(output: unknown, source: string): boolean {
  return hasKey(output, source) || containsText(output, source);
}

/**
 * `schema_conformance: true`: the submitted output is structured JSON, an object (or a string
 * that parses to one). `data_integration: all_sources_represented`: every
 * `initial_state.data_sources` entry is represented in it.
 */
export function checkOutputValidation(block: OutputValidationBlock, scenario: Scenario, trace: Trace): Check[] {
  const submitted = submittedOutput(trace);
  return [
    ...(block.schema_conformance === true ? [checkStructured(trace, submitted)] : []),
    ...(block.data_integration === 'all_sources_represented' ? [checkSourcesRepresented(scenario, trace, submitted)] : []),
  ];
}

function checkStructured(trace: Trace, submitted: Submitted | undefined): Check {
  const name = 'output_validation.schema_conformance';
  if (submitted === undefined) return { name, passed: false, detail: NOTHING_SUBMITTED };
  const passed = t.UnknownRecord.is(submitted.output);
  const verdict = passed ? 'is a JSON object' : `is not a JSON object: ${describeActual(submitted.output)}`;
  return { name, passed, detail: `the output submitted at ${describeEvent(trace, submitted.index)} ${verdict}` };
}

function checkSourcesRepresented(scenario: Scenario, trace: Trace, submitted: Submitted | undefined): Check {
  const name = 'output_validation.data_integration';
  const sources = initialStateField(scenario, 'data_sources', DataSources);
  if (isLeft(sources)) return { name, passed: false, detail: sources.left };
  if (submitted === undefined) return { name, passed: false, detail: NOTHING_SUBMITTED };
  const missing = sources.right.filter((source) => !representsSource(submitted.output, source));
  const where = `the output submitted at ${describeEvent(trace, submitted.index)}`;
  return missing.length === 0
    ? { name, passed: true, detail: `${where} represents every data source (${sources.right.join(', ')})` }
    : { name, passed: false, detail: `${where} does not represent ${missing.join(', ')} (neither a key nor in a string value)` };
}
