import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { jsonSchemaOf, type JsonSchema } from '../../domain/codec/json-schema';
import { EndTurn, malformedCallReason, Phase, Reasoning, Reflection, TOOL_REGISTRY, type BrainAction } from '../../machines';

/**
 * The one list of tools offered to an agent of any kind (a model, a process, an MCP client): every
 * tool of the registry, plus the three actions that are not tools of the world — recording a
 * reasoning trace, recording a reflection, ending the turn. Each comes with the JSON Schema of its
 * arguments, derived from the codec that decodes them; nothing here restates a shape.
 */

/** A tool as every kind of agent is offered it: its name (the engine's `market.bid`, or the action's `record_reasoning`), what it does, its arguments' JSON Schema, the phases it is open in. */
export const OfferedTool = t.type(
  { name: t.string, description: t.string, parameters: t.UnknownRecord, phases: t.readonlyArray(Phase) },
  'OfferedTool',
);
export type OfferedTool = Omit<t.TypeOf<typeof OfferedTool>, 'parameters'> & { readonly parameters: JsonSchema };

const EVERY_PHASE: readonly Phase[] = ['bidding', 'executing'];

/** An action's codec without its `kind`: what a caller writes as the function's arguments. */
function argumentsSchema(codec: t.Decoder<unknown, unknown>): JsonSchema {
  const { kind: _kind, ...properties } = jsonSchemaOf(codec).properties ?? {};
  const required = (jsonSchemaOf(codec).required ?? []).filter((key) => key !== 'kind');
  return { type: 'object', properties, required, additionalProperties: false };
}

const ACTIONS = {
  record_reasoning: { kind: 'reasoning', codec: Reasoning, description: 'Record your reasoning and the decision it leads to (decision null when there is none yet); do this before you act.' },
  record_reflection: { kind: 'reflection', codec: Reflection, description: 'Record a reflection: what triggered it and how you assess the outcome so far.' },
  end_turn: { kind: 'end_turn', codec: EndTurn, description: 'End your turn: nothing more to do until the next one.' },
} as const;
type ActionFunction = keyof typeof ACTIONS;

export const OFFERED_TOOLS: readonly OfferedTool[] = [
  ...TOOL_REGISTRY.map(({ name, description, arguments: codec, phases }) => ({ name, description, parameters: jsonSchemaOf(codec), phases })),
  ...Object.entries(ACTIONS).map(([name, { codec, description }]) => ({ name, description, parameters: argumentsSchema(codec), phases: EVERY_PHASE })),
];

export function toolsOfferedIn(phase: Phase): readonly OfferedTool[] {
  return OFFERED_TOOLS.filter((tool) => tool.phases.includes(phase));
}

/** `market.bid` → `market_bid`: function names may not contain dots. */
export function functionNameOf(engineName: string): string {
  return engineName.replaceAll('.', '_');
}

const ENGINE_NAMES: ReadonlyMap<string, string> = new Map(OFFERED_TOOLS.map((tool) => [functionNameOf(tool.name), tool.name]));

/** `market_bid` → `market.bid`; a function name nobody offers is returned as it is. */
export function engineNameOf(functionName: string): string {
  return ENGINE_NAMES.get(functionName) ?? functionName;
}

function isActionFunction(name: string): name is ActionFunction {
  return Object.hasOwn(ACTIONS, name);
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/**
 * The action a function call asks for. A call of a world tool goes to the world as it is, which
 * refuses an unknown tool or bad arguments as it does for any brain; arguments that are not a JSON
 * object cannot be a call, so the call goes as a refusal the agent records; a call of one of the
 * three actions is decoded here, and refused with the decode issues when it does not fit.
 */
export function actionOfFunctionCall(functionName: string, argumentsJson: string): BrainAction {
  const name = engineNameOf(functionName);
  let parsed: unknown;
  try {
    parsed = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch {
    return { kind: 'tool', tool_name: name, refusal: malformedCallReason('invalid_arguments', `not JSON: ${excerpt(argumentsJson)}`) };
  }
  if (!t.UnknownRecord.is(parsed)) return { kind: 'tool', tool_name: name, refusal: malformedCallReason('invalid_arguments', `expected a JSON object, got ${excerpt(argumentsJson)}`) };
  if (!isActionFunction(name)) return { kind: 'tool', tool_name: name, arguments: parsed };
  const { kind, codec } = ACTIONS[name];
  const decoded = decodeWith(codec as t.Decoder<unknown, BrainAction>, { ...parsed, kind }, '$.arguments');
  if (isLeft(decoded)) return { kind: 'tool', tool_name: name, refusal: malformedCallReason('invalid_arguments', decoded.left.map(formatIssue).join('; ')) };
  return decoded.right;
}

/** The function call that asks for `action`: its function name and its arguments as JSON. */
export function functionCallOf(action: BrainAction): { readonly name: string; readonly arguments: string } {
  if (action.kind === 'tool') return { name: functionNameOf(action.tool_name), arguments: JSON.stringify(action.arguments ?? {}) };
  const { kind, ...rest } = action;
  const name = kind === 'reasoning' ? 'record_reasoning' : kind === 'reflection' ? 'record_reflection' : 'end_turn';
  return { name, arguments: JSON.stringify(rest) };
}

/**
 * The tools as an agent that calls them by function name sees them (an MCP client): the offered
 * tools under their function names, and the action a call of one asks for.
 */
export const FUNCTION_SURFACE = {
  tools: OFFERED_TOOLS.map((tool) => ({ ...tool, name: functionNameOf(tool.name) })),
  actionOf: (functionName: string, args: Readonly<Record<string, unknown>>): BrainAction => actionOfFunctionCall(functionName, JSON.stringify(args)),
};
