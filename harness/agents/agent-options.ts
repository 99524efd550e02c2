import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { modelAgentFactory, parseAgentSpec, processAgentFactory, trivialAgentFactory, TRIVIAL_AGENT_KINDS, type AgentFactory } from './agent-spec';
import { CACHE_MODES, isCacheMode, openModelCache } from './model-cache';
import { Pricing } from './usage';
import { readJsonFile } from '../files';
import { existingFolder, prepareOutput } from '../cli';

/** The command-line options that choose and configure the agent under test (run.ts). */

export const AGENT_OPTIONS = {
  agent: { type: 'string', default: 'script' },
  cycles: { type: 'string' },
  'turn-timeout': { type: 'string' },
  'model-timeout': { type: 'string' },
  temperature: { type: 'string' },
  'max-output-tokens': { type: 'string' },
  'token-limit': { type: 'string' },
  pricing: { type: 'string' },
  'model-cache': { type: 'string' },
  'model-cache-mode': { type: 'string' },
} as const;

export const AGENT_USAGE = `  --agent KIND        what drives the agent under test: script (default: the scenario's script,
                      see --scripts and --script); openai:MODEL, a model over an OpenAI-compatible
                      chat-completions API at AGENT_BASE_URL, with AGENT_API_KEY if it needs one;
                      exec:'CMD ARGS', a process speaking the brain protocol in JSON lines; or
                      mcp:'CMD ARGS', an agent taking the economy's tools from the MCP server at
                      SYNTROPISM_MCP_URL (README, "Agents in any language"); or a trivial agent,
                      the baseline no scenario should be passable by: null (ends every turn) or
                      random (a few random valid calls a turn, drawn from the run's --seed)
  --cycles N          cycles each world runs for an agent other than a script (default 1): a bidding
                      turn and, if a bid wins, an executing turn
  --turn-timeout S    seconds a turn may stay open (default 300 for an agent other than a script): the turn then ends
                      with reason brain_timeout and the scenario fails
  --model-timeout S   seconds per model request (default 120); HTTP 429, 5xx, a time-out or an
                      unusable reply are tried up to 3 times, other errors once
  --temperature T     the sampling temperature (default: the model's own)
  --max-output-tokens N  output tokens per model request
  --token-limit N     model tokens one scenario run may use: past it each turn ends with reason
                      token_limit and no model call is made
  --pricing FILE      JSON {"MODEL": {"input_per_million": USD, "output_per_million": USD}}: adds
                      cost_usd to the results
  --model-cache DIR   record model answers in DIR (one JSON file per request) and replay them
  --model-cache-mode M  auto (default: replay an answer when DIR has it, else call and record it),
                      record (always call and record) or replay (never connect; a missing answer
                      fails its scenario)`;

type Values = { readonly [K in keyof typeof AGENT_OPTIONS]?: string };

/** What the options chose: a model-driven agent, or the scripts (`undefined`). */
export interface ChosenAgent {
  readonly factory: AgentFactory;
  readonly cycles: number;
  /** The model of a model-driven agent, whose pricing applies. */
  readonly model?: string;
  readonly pricing?: Pricing;
}

function numberOption(name: string, text: string | undefined, accept: (n: number) => boolean, expected: string): Either<string, number | undefined> {
  if (text === undefined) return right(undefined);
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && accept(value) ? right(value) : left(`--${name}: expected ${expected}, got ${JSON.stringify(text)}`);
}

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;
const positive = (n: number) => n > 0;

/** `--pricing FILE`, read and checked; undefined without the flag. */
export function readPricing(file: string | undefined): Either<string, Pricing | undefined> {
  if (file === undefined) return right(undefined);
  const pricing = readJsonFile(file, Pricing);
  return isLeft(pricing) ? left(`--pricing: ${pricing.left.join('; ')}`) : pricing;
}

const MODEL_ONLY = ['cycles', 'turn-timeout', 'model-timeout', 'temperature', 'max-output-tokens', 'token-limit', 'pricing', 'model-cache', 'model-cache-mode'] as const;
/** What only a model-driven agent takes. */
const MODEL_OPTIONS = ['model-timeout', 'temperature', 'max-output-tokens', 'token-limit', 'pricing', 'model-cache', 'model-cache-mode'] as const;

export function chooseAgent(values: Values, env: Readonly<Record<string, string | undefined>>): Either<string, ChosenAgent | undefined> {
  const spec = parseAgentSpec(values.agent ?? 'script');
  if (isLeft(spec)) return spec;
  if (spec.right.kind === 'script') {
    const misplaced = MODEL_ONLY.find((name) => values[name] !== undefined);
    return misplaced === undefined ? right(undefined) : left(`--${misplaced} applies to an agent other than a script (see --agent)`);
  }
  if (spec.right.kind === 'null' || spec.right.kind === 'random') {
    const misplaced = [...MODEL_OPTIONS, 'turn-timeout' as const].find((name) => values[name] !== undefined);
    if (misplaced !== undefined) return left(`--${misplaced} does not apply to a trivial agent (--agent ${TRIVIAL_AGENT_KINDS.join(' or ')}), which answers at once`);
    const cycles = numberOption('cycles', values.cycles, positiveInteger, 'a positive integer');
    return isLeft(cycles) ? cycles : right({ factory: trivialAgentFactory(spec.right.kind), cycles: cycles.right ?? 1 });
  }
  if (spec.right.kind !== 'openai') {
    const misplaced = MODEL_OPTIONS.find((name) => values[name] !== undefined);
    if (misplaced !== undefined) return left(`--${misplaced} applies to a model (--agent openai:MODEL)`);
    const cycles = numberOption('cycles', values.cycles, positiveInteger, 'a positive integer');
    const turnTimeout = numberOption('turn-timeout', values['turn-timeout'] ?? '300', positive, 'a positive number of seconds');
    if (isLeft(cycles)) return cycles;
    if (isLeft(turnTimeout)) return turnTimeout;
    const factory = processAgentFactory(spec.right, { turnTimeoutMs: turnTimeout.right! * 1000 });
    return isLeft(factory) ? factory : right({ factory: factory.right, cycles: cycles.right ?? 1 });
  }
  const numbers = {
    cycles: numberOption('cycles', values.cycles, positiveInteger, 'a positive integer'),
    turnTimeout: numberOption('turn-timeout', values['turn-timeout'] ?? '300', positive, 'a positive number of seconds'),
    modelTimeout: numberOption('model-timeout', values['model-timeout'] ?? '120', positive, 'a positive number of seconds'),
    temperature: numberOption('temperature', values.temperature, (n) => n >= 0 && n <= 2, 'a number from 0 to 2'),
    maxOutputTokens: numberOption('max-output-tokens', values['max-output-tokens'], positiveInteger, 'a positive integer'),
    tokenLimit: numberOption('token-limit', values['token-limit'], positiveInteger, 'a positive integer'),
  };
  const bad = Object.values(numbers).find(isLeft);
  if (bad !== undefined) return bad;
  const [cycles, turnTimeout, modelTimeout, temperature, maxOutputTokens, tokenLimit] = Object.values(numbers).map((n) => (n as { right: number | undefined }).right);
  const mode = values['model-cache-mode'] ?? 'auto';
  if (!isCacheMode(mode)) return left(`--model-cache-mode: expected ${CACHE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const dir = values['model-cache'];
  if (dir === undefined && mode === 'replay') return left('--model-cache-mode replay: missing --model-cache DIR to replay from');
  // Checked before any work starts: a cache that cannot be written would fail (or, under /proc, hang) at the first answer.
  const cacheDir = dir === undefined ? undefined : mode === 'replay' ? existingFolder('--model-cache', dir) : prepareOutput('--model-cache', dir, 'folder');
  if (cacheDir !== undefined && isLeft(cacheDir)) return cacheDir;
  const pricing = readPricing(values.pricing);
  if (isLeft(pricing)) return pricing;
  const factory = modelAgentFactory(
    spec.right,
    {
      turnTimeoutMs: turnTimeout! * 1000,
      modelTimeoutMs: modelTimeout! * 1000,
      temperature,
      maxOutputTokens,
      tokenLimit,
      cache: cacheDir === undefined ? undefined : { store: openModelCache(cacheDir.right), mode },
    },
    env,
  );
  if (isLeft(factory)) return factory;
  return right({ factory: factory.right, cycles: cycles ?? 1, model: spec.right.model, pricing: pricing.right });
}
