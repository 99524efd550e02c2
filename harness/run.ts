import { isLeft } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../domain/events';
import { badInput, parseCommandLine, runWhenMain } from './cli';
import { formatScenarioError, loadScenarioFile, type LoadedScenario } from './constructor';
import { isReportFormat, renderReport, REPORT_FORMATS } from './report';
import { readTraceFile } from './trace-file';
import { validateTrace } from './validate';
import type { ScenarioVerdict } from './verdict';

const USAGE = `usage: npx tsx harness/run.ts --scenario FILE --trace TRACE.jsonl [--format table|json]

Checks a recorded event trace against a scenario's validation rules and prints the verdict,
check by check: which rule entry matched which event (or the nearest candidates when none did),
the numbers compared, and how the success_condition evaluated.

  --scenario FILE     the scenario JSON file; it is loaded and checked by the constructor first
  --trace TRACE       the trace: JSONL, one event envelope per line (blank lines are skipped)
  --format FORMAT     table (default): a readable table; json: {"summary": {"total", "passed",
                      "failed"}, "results": [{"id", "domain", "passed", "checks": [{"name",
                      "passed", "detail"}]}]}
  -h, --help          print this help

Exit status: 0 when every scenario passed; 1 when one failed; 2 on bad input (a bad flag, an
invalid scenario, a trace line that is not JSON or not a valid event, a trace of another scenario).`;

const EXIT_SCENARIO_FAILED = 1;

const OPTIONS = {
  scenario: { type: 'string' },
  trace: { type: 'string' },
  format: { type: 'string', default: 'table' },
} as const;

function loadScenario(file: string): LoadedScenario {
  const loaded = loadScenarioFile(file);
  if (isLeft(loaded)) throw badInput(loaded.left.map(formatScenarioError).join('\n'));
  return loaded.right;
}

function loadTrace(file: string, scenario: LoadedScenario): DomainEvent[] {
  const trace = readTraceFile(file);
  if (isLeft(trace)) throw badInput(trace.left.join('\n'));
  // A trace recorded for another scenario would give a verdict about the wrong rules.
  const foreign = trace.right.find((event) => event.scenario_id !== scenario.id);
  if (foreign !== undefined) {
    throw badInput(
      `${file}: event ${foreign.event_id} has scenario_id ${JSON.stringify(foreign.scenario_id)}, expected ${JSON.stringify(scenario.id)} (the id of ${scenario.file})`,
    );
  }
  return trace.right;
}

/** The verdict of a recorded trace against one scenario file. */
export function verdictOfTrace(scenarioFile: string, traceFile: string): ScenarioVerdict {
  const scenario = loadScenario(scenarioFile);
  return validateTrace(scenario.scenario, loadTrace(traceFile, scenario));
}

export function run(args: string[]): number {
  const { values } = parseCommandLine(args, USAGE, OPTIONS, 0);
  const { scenario, trace, format } = values;
  if (!isReportFormat(format)) throw badInput(`--format: expected ${REPORT_FORMATS.join(' or ')}, got ${JSON.stringify(format)}`);
  if (scenario === undefined) throw badInput('missing --scenario FILE (see --help)');
  if (trace === undefined) throw badInput('missing --trace TRACE.jsonl (see --help)');
  const verdicts = [verdictOfTrace(scenario, trace)];
  console.log(renderReport(verdicts, format));
  return verdicts.every((verdict) => verdict.passed) ? 0 : EXIT_SCENARIO_FAILED;
}

runWhenMain(import.meta, run);
