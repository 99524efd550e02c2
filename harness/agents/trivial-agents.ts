import type { JsonSchema } from '../../domain/codec/json-schema';
import { fork, nextFloat, nextInt, type RandomStream } from '../../domain/economy/random';
import { defineBrain, idleBrain, type BrainAction, type BrainAnswer, type BrainLogic, type BrainPrompt, type Observation, type Phase } from '../../machines';
import { actionOfFunctionCall, functionNameOf, toolsOfferedIn, type OfferedTool } from './tool-surface';

/**
 * The trivial agents, the baselines no scenario may be passable by: a scenario that an agent doing
 * nothing passes measures nothing (the Agentic Benchmark Checklist's first outcome-validity test).
 *
 * - `null` ends every turn at once.
 * - `random` makes a few random calls each turn, then ends it: each call is of a tool open in the
 *   phase (from the one tool surface every agent is offered), with arguments drawn from the JSON
 *   Schema derived from the tool's codec, so that they decode. Its strings are words of its briefing
 *   (so that it may name a real service) and its numbers small. Every draw comes from the agent's own
 *   stream, forked from the run's seed, under the scenario's id: the same seed gives the same calls and
 *   the same trace, and each scenario its own calls.
 */

export const nullBrain: BrainLogic = idleBrain;

/** At most this many calls in a turn, before the turn is ended. */
export const RANDOM_CALLS_PER_TURN = 4;
/** Strings when a briefing has none to offer. */
const FALLBACK_WORDS = ['analysis', 'report', 'agent'];
/** The longest briefing string taken as a word. */
const LONGEST_WORD = 40;

interface RandomMemory {
  readonly random: RandomStream;
  readonly phase: Phase;
  readonly words: readonly string[];
  /** Calls still to make in this turn. */
  readonly callsLeft: number;
}

/** Draws from the stream, threading it through. */
class Draws {
  constructor(public stream: RandomStream) {}
  float(): number {
    const [value, next] = nextFloat(this.stream);
    this.stream = next;
    return value;
  }
  int(bound: number): number {
    const [value, next] = nextInt(this.stream, bound);
    this.stream = next;
    return value;
  }
  pick<A>(items: readonly A[]): A {
    return items[this.int(items.length)]!;
  }
}

/** The strings of the observation's briefing, each once, in the order met: the names a random call may use. */
function wordsOf(observation: Observation): string[] {
  const words = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length > 0 && value.length <= LONGEST_WORD) words.add(value);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(observation.briefing);
  return words.size === 0 ? FALLBACK_WORDS : [...words];
}

/**
 * A number the schema accepts: within its bounds; a non-negative one below one half (a share of a
 * resource, which a bundle may name twice, in two units), an unbounded one from 1 to 100.
 */
function numberFor(schema: JsonSchema, draws: Draws, integer: boolean): number {
  if (integer) return Math.max(1, schema.minimum ?? 1) + draws.int(5);
  if (schema.maximum !== undefined) {
    const low = schema.minimum ?? 0;
    return Math.round((low + draws.float() * (schema.maximum - low)) * 100) / 100;
  }
  if (schema.minimum !== undefined) return Math.round((schema.minimum + draws.float() / 2) * 100) / 100;
  return 1 + draws.int(100);
}

/** A value of the schema, drawn: every required property and each optional one half of the time. */
function valueOf(schema: JsonSchema, draws: Draws, words: readonly string[]): unknown {
  if (schema.enum !== undefined && schema.enum.length > 0) return draws.pick(schema.enum);
  if (schema.anyOf !== undefined && schema.anyOf.length > 0) return valueOf(draws.pick(schema.anyOf), draws, words);
  const type = Array.isArray(schema.type) ? draws.pick(schema.type as readonly string[]) : schema.type;
  switch (type) {
    case 'string':
      return draws.pick(words);
    case 'number':
      return numberFor(schema, draws, false);
    case 'integer':
      return numberFor(schema, draws, true);
    case 'boolean':
      return draws.int(2) === 1;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: draws.int(3) }, () => valueOf(schema.items ?? { type: 'string' }, draws, words));
    default: {
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
        required.has(key) || draws.int(2) === 1 ? [[key, valueOf(property, draws, words)] as const] : [],
      );
      return Object.fromEntries(entries);
    }
  }
}

/** A call of a tool open in `phase` other than `end_turn`, with drawn arguments, as the action it asks for. */
function randomCall(phase: Phase, draws: Draws, words: readonly string[]): BrainAction {
  const tools: readonly OfferedTool[] = toolsOfferedIn(phase).filter((tool) => tool.name !== 'end_turn');
  const tool = draws.pick(tools);
  return actionOfFunctionCall(functionNameOf(tool.name), JSON.stringify(valueOf(tool.parameters, draws, words)));
}

function actRandomly(memory: RandomMemory, prompt: BrainPrompt): readonly [RandomMemory, BrainAnswer] {
  const draws = new Draws(memory.random);
  const turn =
    prompt.type === 'turn.started'
      ? { phase: prompt.phase, words: wordsOf(prompt.observation), callsLeft: draws.int(RANDOM_CALLS_PER_TURN + 1) }
      : memory;
  if (turn.callsLeft === 0) return [{ ...turn, random: draws.stream }, { kind: 'end_turn' }];
  const call = randomCall(turn.phase, draws, turn.words);
  return [{ ...turn, random: draws.stream, callsLeft: turn.callsLeft - 1 }, call];
}

/** The random agent of one scenario: its draws are its own stream's, forked under `scenarioId`. */
export function randomBrain(scenarioId: string): BrainLogic {
  return defineBrain<RandomMemory>({
    initial: ({ random }) => ({ random: fork(random, scenarioId), phase: 'bidding', words: FALLBACK_WORDS, callsLeft: 0 }),
    act: actRandomly,
  });
}
