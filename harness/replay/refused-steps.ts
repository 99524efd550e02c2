import { isDeepStrictEqual } from 'node:util';
import type { DomainEvent } from '../../domain/economy/events';
import { isMalformedCallReason } from '../../machines';
import type { Script } from '../scenarios';
import { describeEvent, type Check } from '../validate';
import type { SourceFile } from '../files';

/**
 * The script steps the world refused to perform. A refused call is recorded as a failed
 * `tool_call_completed` and the script goes on, so without this check a typo (`market.bidd`, an
 * amount of `"eighty"`) fails the scenario on whatever rule the missing call was meant to satisfy,
 * and its reason is found only in the trace. Which reasons mean the step itself was malformed (a tool,
 * service or tier the world does not have, arguments that do not decode) the tools say
 * (`MALFORMED_CALL_REASONS`); any other failure is the world's answer, which the scenario's own rules judge.
 */

interface ScriptStep {
  /** Its JSON path in the script file, e.g. `$.turns[1].actions[0]`. */
  readonly path: string;
  readonly tool_name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

function toolSteps(script: Script): ScriptStep[] {
  return script.turns.flatMap((turn, turnIndex) =>
    turn.actions.flatMap((action, actionIndex) =>
      action.kind === 'tool'
        ? [{ path: `$.turns[${turnIndex}].actions[${actionIndex}]`, tool_name: action.tool_name, arguments: action.arguments ?? {} }]
        : [],
    ),
  );
}

/**
 * The script step of each call the agent initiated, by trace position. Steps are played in order and a
 * turn the world cuts short skips the rest of its steps, so each call is the next step that asks for
 * the same tool with the same arguments.
 */
function stepsOfCalls(steps: readonly ScriptStep[], trace: readonly DomainEvent[], agent: string): Map<number, ScriptStep> {
  const found = new Map<number, ScriptStep>();
  let next = 0;
  trace.forEach((event, index) => {
    if (event.type !== 'tool_call_initiated' || event.agent_id !== agent) return;
    const { tool_name, arguments: args } = event.data;
    const offset = steps.slice(next).findIndex((step) => step.tool_name === tool_name && isDeepStrictEqual(step.arguments, args));
    if (offset < 0) return;
    found.set(index, steps[next + offset]!);
    next += offset + 1;
  });
  return found;
}

/** A failing `script_step` check naming each refused step, its tool, the reason and the event; none when the world refused nothing. */
export function refusedStepsCheck(script: SourceFile<Script>, trace: readonly DomainEvent[], agent: string): Check[] {
  const steps = stepsOfCalls(toolSteps(script.value), trace, agent);
  let initiated: number | undefined;
  const refused: string[] = [];
  trace.forEach((event, index) => {
    if (event.agent_id !== agent) return;
    if (event.type === 'tool_call_initiated') initiated = index;
    if (event.type !== 'tool_call_completed' || event.data.result !== 'failure' || !isMalformedCallReason(event.data.reason)) return;
    const step = initiated === undefined ? undefined : steps.get(initiated);
    const where = step === undefined ? `a call of ${event.data.tool_name}` : `${step.path} (${step.tool_name})`;
    refused.push(`${where} was refused: ${event.data.reason ?? ''} — ${describeEvent(trace, index)}`);
  });
  if (refused.length === 0) return [];
  return [{ name: 'script_step', passed: false, detail: `${script.file}: ${refused.join('; ')}` }];
}
