import { formatNumber } from '../../../domain/benchmark/constraint';
import { describeActual } from '../../../domain/codec/decode';
import type { DomainEvent, Trace } from '../../../domain/economy/events';
import { describeEvent, fieldValue, mismatches } from '../../validate';
import type { Action, Decision } from './rubric';

/**
 * The agent's decision against a rubric's: a stated decision matches a rubric decision when both,
 * normalised (lower case, every run of characters other than letters and digits made one `_`), are
 * equal to its id or one of its aliases. Any stated decision the rubric rejects makes the run
 * *unacceptable*. Otherwise the judged decision is the last stated one the rubric expects: it is
 * *coherent* when, after it was first stated, the agent's events show every action it `requires`
 * and none of the agent's events shows an action it `forbids`; else it is *contradicted*. A decision
 * the rubric does not know, or none at all, is coherent with no expected decision either.
 */

function normaliseDecision(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

function names(decision: Decision): string[] {
  return [decision.decision, ...(decision.aliases ?? [])].map(normaliseDecision);
}

interface StatedDecision {
  readonly index: number;
  readonly text: string;
}

export interface Assessment {
  /** Expected and coherent, or a rubric without decisions: nothing caps the scores. */
  readonly sound: boolean;
  /** One clause saying what was decided and how it was judged. */
  readonly summary: string;
}

function statedDecisions(trace: Trace, subject: string): StatedDecision[] {
  return trace.flatMap((event, index) =>
    event.type === 'reasoning_trace' && event.agent_id === subject && event.data.decision !== null && normaliseDecision(event.data.decision) !== ''
      ? [{ index, text: event.data.decision }]
      : [],
  );
}

function recognised(stated: StatedDecision, decisions: readonly Decision[]): Decision | undefined {
  const name = normaliseDecision(stated.text);
  return decisions.find((decision) => names(decision).includes(name));
}

/** Why `event` does not show `action`; empty when it does. */
function actionMismatches(action: Action, event: DomainEvent, trace: Trace): string[] {
  const ranges = Object.entries(action.within ?? {}).flatMap(([path, [min, max]]) => {
    const value = fieldValue(event, path);
    if (typeof value !== 'number') return [`${path}: expected a number, got ${describeActual(value)}`];
    return value >= min && value <= max ? [] : [`${path} = ${formatNumber(value)}, required ${formatNumber(min)} to ${formatNumber(max)}`];
  });
  return [...mismatches(action.event, event, trace, new Map()), ...ranges];
}

/** `action` shown by one of `positions`, or the nearest miss among the events of its type. */
function lookFor(action: Action, positions: readonly number[], trace: Trace): { found: number } | { nearest: string } {
  const candidates = positions
    .filter((index) => trace[index]!.type === action.event.type)
    .map((index) => ({ index, reasons: actionMismatches(action, trace[index]!, trace) }));
  const match = candidates.find(({ reasons }) => reasons.length === 0);
  if (match !== undefined) return { found: match.index };
  const [nearest] = [...candidates].sort((a, b) => a.reasons.length - b.reasons.length);
  return {
    nearest:
      nearest === undefined
        ? `no ${action.event.type} event`
        : `nearest ${describeEvent(trace, nearest.index)}: ${nearest.reasons.join('; ')}`,
  };
}

function coherence(decision: Decision, stated: StatedDecision, trace: Trace, subject: string): Assessment {
  const own = trace.flatMap((event, index) => (event.agent_id === subject ? [index] : []));
  const after = own.filter((index) => index > stated.index);
  const agree: string[] = [];
  const contradict: string[] = [];
  for (const action of decision.requires ?? []) {
    const seen = lookFor(action, after, trace);
    if ('found' in seen) agree.push(`${action.action} (${describeEvent(trace, seen.found)})`);
    else contradict.push(`nothing after it shows that it ${action.action} (${seen.nearest})`);
  }
  for (const action of decision.forbids ?? []) {
    const seen = lookFor(action, own, trace);
    if ('found' in seen) contradict.push(`it ${action.action} (${describeEvent(trace, seen.found)})`);
    else agree.push(`never ${action.action}`);
  }
  const what = `the decision "${stated.text}" (${describeEvent(trace, stated.index)}) is expected (${decision.because})`;
  if (contradict.length > 0) return { sound: false, summary: `${what}, but the actions contradict it: ${contradict.join('; ')}` };
  return { sound: true, summary: agree.length > 0 ? `${what} and the actions agree: ${agree.join('; ')}` : what };
}

/** How the decisions `subject` stated in `trace` fare against the rubric's. */
export function assessDecision(decisions: readonly Decision[], trace: Trace, subject: string | undefined): Assessment {
  if (decisions.length === 0) return { sound: true, summary: 'the rubric judges no decision' };
  const expected = decisions.filter((decision) => decision.verdict === 'expected');
  const expectedNames = expected.map((decision) => decision.decision).join(', ');
  const noDecision: Assessment = { sound: false, summary: `no decision was stated (expected: ${expectedNames})` };
  if (subject === undefined) return noDecision;
  const stated = statedDecisions(trace, subject);
  for (const statement of stated) {
    const decision = recognised(statement, decisions);
    if (decision?.verdict === 'unacceptable') {
      return {
        sound: false,
        summary: `the decision "${statement.text}" (${describeEvent(trace, statement.index)}) is unacceptable: ${decision.because}`,
      };
    }
  }
  for (const statement of [...stated].reverse()) {
    const decision = recognised(statement, expected);
    if (decision === undefined) continue;
    const first = stated.find((earlier) => recognised(earlier, expected) === decision) ?? statement;
    return coherence(decision, first, trace, subject);
  }
  const last = stated[stated.length - 1];
  if (last === undefined) return noDecision;
  return {
    sound: false,
    summary: `the decision "${last.text}" (${describeEvent(trace, last.index)}) is not one the rubric expects (expected: ${expectedNames})`,
  };
}

