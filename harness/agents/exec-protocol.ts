import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { ActionRecorded, ActionsPerformed, actionsOf, BrainAct, Notified, ToolResult, TurnStarted, type BrainAnswer } from '../../machines';
import { OfferedTool } from './tool-surface';

/**
 * The brain protocol of `machines/` on the wire, one JSON object per line (README, "Agents in any
 * language"). The harness writes `hello` first, then the prompts and notices of the protocol as they
 * are, then `run.finished`; the agent answers each prompt with one `brain.act`, carrying one action
 * or a batch. Only `hello` and `run.finished` are new; every other message is the protocol's own codec.
 */

export const PROTOCOL_VERSION = 1;

export const Hello = t.type(
  {
    type: t.literal('hello'),
    protocol: t.literal(PROTOCOL_VERSION),
    agent_id: t.string,
    scenario_id: t.string,
    tools: t.array(OfferedTool),
  },
  'Hello',
);
export type Hello = t.TypeOf<typeof Hello>;

export const RunFinished = t.type({ type: t.literal('run.finished') }, 'RunFinished');

/** Everything the harness writes to an agent. */
export const HarnessMessage = t.union([Hello, TurnStarted, ToolResult, ActionRecorded, ActionsPerformed, Notified, RunFinished], 'HarnessMessage');
export type HarnessMessage = t.TypeOf<typeof HarnessMessage>;

export function encodeLine(message: HarnessMessage): string {
  return `${JSON.stringify(HarnessMessage.encode(message))}\n`;
}

/** A line quoted in a fault's reason, cut short: the reason must stay one readable line. */
export function quoteLine(line: string, limit = 120): string {
  return JSON.stringify(line.length > limit ? `${line.slice(0, limit)}…` : line);
}

/**
 * The branch of `BrainAct` an answer means, told by its key, so that a faulty batch is not also
 * reported as a missing `action` (and a faulty action as a missing `actions`); both when it has neither.
 */
function answerCodec(parsed: unknown): t.Decoder<unknown, BrainAct> {
  const [single, batch] = BrainAct.types;
  if (!t.UnknownRecord.is(parsed) || ('action' in parsed) === ('actions' in parsed)) return BrainAct;
  return 'actions' in parsed ? batch : single;
}

/** The action or batch an agent's answer line carries, or the reason it carries none. */
export function decodeAnswer(line: string): Either<string, BrainAnswer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return left(`the agent wrote a line that is not JSON: ${quoteLine(line)}`);
  }
  const decoded = decodeWith(answerCodec(parsed), parsed);
  if (isLeft(decoded)) return left(`the agent wrote an invalid answer (${decoded.left.map(formatIssue).join('; ')}): ${quoteLine(line)}`);
  const act = decoded.right;
  return right('actions' in act ? actionsOf(act) : act.action);
}
