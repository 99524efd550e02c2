import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { PolicyName, PolicyParams } from '../../domain/population/config';
import { policyFor, type BrainFault } from '../../machines';
import {
  AGENT_KINDS,
  parseAgentSpec,
  type AgentSpec,
  type AgentUnderTest,
  splitCommandLine,
  execAgent,
  mcpAgent,
  ModelHealth,
  openModelCache,
  type CacheMode,
  openAiBrain,
  nullBrain,
  randomBrain,
  FUNCTION_SURFACE,
  OFFERED_TOOLS,
  costOf,
  NO_USAGE,
  UsageMeter,
  type Pricing,
  type Usage,
} from '../agents';
import { createChatClient } from '../models';

/**
 * The arena's agents under test, as `--agent NAME=SPEC` names them: the kinds `run.ts` takes
 * (`openai:MODEL`, `exec:CMD`, `mcp:CMD`) and the built-in policies (`policy:fixed_share`), so that
 * an arena runs with no model at all. Each is checked before any world starts (a model with nowhere
 * to call, a program that is not there), and started afresh in every world.
 *
 * A model's endpoint comes from the environment by the agent's name: `ARENA_<NAME>_BASE_URL` and
 * `ARENA_<NAME>_API_KEY` (the name upper-cased, `-` as `_`), else `AGENT_BASE_URL` and `AGENT_API_KEY`,
 * so that two models on two servers sit in one arena and a key never appears on a command line.
 */

export type FocalSpec =
  | Exclude<AgentSpec, { kind: 'script' }>
  | { readonly kind: 'policy'; readonly policy: PolicyName; readonly params: PolicyParams };

export interface FocalAgent {
  readonly name: string;
  readonly spec: FocalSpec;
  /** The spec as typed, for the log and the report. */
  readonly text: string;
}

export const FOCAL_KINDS = `policy:NAME[:PARAMS] (${Object.keys(PolicyName.keys).join(', ')}; PARAMS as in a study's group), ${AGENT_KINDS.replace('script, ', '')}`;
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** `NAME=SPEC`. Background agents are `agent-0001` onwards, so a name may not look like one. */
export function parseFocalAgent(text: string): Either<string, FocalAgent> {
  const equals = text.indexOf('=');
  if (equals <= 0) return left(`--agent: expected NAME=SPEC (e.g. gpt=openai:gpt-4o-mini), got ${JSON.stringify(text)}`);
  const name = text.slice(0, equals);
  const specText = text.slice(equals + 1);
  if (!NAME.test(name)) return left(`--agent ${name}: a name is a letter then up to 39 letters, digits, - or _, got ${JSON.stringify(name)}`);
  if (/^agent-\d+$/.test(name)) return left(`--agent ${name}: agent-0001 onwards name the background population; choose another name`);
  if (specText.startsWith('policy:')) {
    const policy = parsePolicy(name, specText.slice('policy:'.length));
    return isLeft(policy) ? policy : right({ name, spec: policy.right, text: specText });
  }
  const spec = parseAgentSpec(specText);
  if (isLeft(spec)) {
    // A known kind with nothing after it keeps run.ts's own message (`expected a command after "exec:"`).
    const ofKind = /^--agent (openai|exec|mcp): (.*)$/.exec(spec.left);
    return left(ofKind === null ? `--agent ${name}: expected ${FOCAL_KINDS}, got ${JSON.stringify(specText)}` : `--agent ${name}: ${ofKind[2]}`);
  }
  if (spec.right.kind === 'script') return left(`--agent ${name}: a scenario's script has no place in the arena; expected ${FOCAL_KINDS}`);
  return right({ name, spec: spec.right, text: specText });
}

/** `NAME` or `NAME:{"prompt_bid": 2}`: a built-in policy with the parameters a study's group takes. */
function parsePolicy(agent: string, text: string): Either<string, Extract<FocalSpec, { kind: 'policy' }>> {
  const colon = text.indexOf(':');
  const policy = colon === -1 ? text : text.slice(0, colon);
  if (!PolicyName.is(policy)) return left(`--agent ${agent}: expected a built-in policy (${Object.keys(PolicyName.keys).join(', ')}), got ${JSON.stringify(policy)}`);
  if (colon === -1) return right({ kind: 'policy', policy, params: {} });
  let json: unknown;
  try {
    json = JSON.parse(text.slice(colon + 1));
  } catch {
    return left(`--agent ${agent}: expected the policy's parameters as JSON after "${policy}:", e.g. {"prompt_bid": 2}, got ${JSON.stringify(text.slice(colon + 1))}`);
  }
  const params = decodeWith(PolicyParams, json);
  if (isLeft(params)) return left(`--agent ${agent}: ${params.left.map(formatIssue).join('; ')}`);
  return right({ kind: 'policy', policy, params: params.right });
}

export function parseFocalAgents(texts: readonly string[]): Either<string, FocalAgent[]> {
  const agents: FocalAgent[] = [];
  for (const text of texts) {
    const agent = parseFocalAgent(text);
    if (isLeft(agent)) return agent;
    const { name } = agent.right;
    const same = agents.find((other) => envName(other.name, 'BASE_URL') === envName(name, 'BASE_URL'));
    if (same?.name === name) return left(`--agent ${name}: the name is given twice; each agent needs a name of its own`);
    if (same !== undefined) return left(`--agent ${name}: too like ${same.name}: both read ${envName(name, 'BASE_URL')}; names must differ beyond case and - or _`);
    agents.push(agent.right);
  }
  return right(agents);
}

export interface FocalSettings {
  readonly turnTimeoutMs: number;
  readonly modelTimeoutMs: number;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** `--model-cache DIR`: each model agent records in `DIR/NAME`. */
  readonly cache?: { readonly dir: string; readonly mode: CacheMode };
  readonly pricing?: Pricing;
}

/** A focal agent in one world: the agent under test's parts, and what its model calls cost. */
export interface FocalRun extends Omit<AgentUnderTest, 'briefing' | 'transcript'> {
  cost(): number | undefined;
}

/** A focal agent checked and ready: each world starts it afresh. */
export interface PreparedFocal {
  readonly agent: FocalAgent;
  start(world: { readonly scenario_id: string; readonly seed: string }): FocalRun;
}

/** `ARENA_<NAME>_<SETTING>`: the name upper-cased, its dashes as underscores. */
export function envName(agent: string, setting: 'BASE_URL' | 'API_KEY'): string {
  return `ARENA_${agent.toUpperCase().replaceAll('-', '_')}_${setting}`;
}

function setting(env: Readonly<Record<string, string | undefined>>, agent: string, name: 'BASE_URL' | 'API_KEY'): { value?: string; from: string } {
  const own = env[envName(agent, name)];
  if (own !== undefined && own !== '') return { value: own, from: envName(agent, name) };
  const shared = env[`AGENT_${name}`];
  return { value: shared === '' ? undefined : shared, from: `AGENT_${name}` };
}

/** Why `program` cannot be started, if it cannot: not there, or not executable (a bare name is looked up on PATH). */
export function programProblem(program: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (program.includes('/')) return executable(isAbsolute(program) ? program : resolve(program)) ? undefined : `cannot start ${JSON.stringify(program)}: no executable file there`;
  const found = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, program)));
  return found ? undefined : `cannot start ${JSON.stringify(program)}: not found on PATH`;
}

const noFaults = (): readonly BrainFault[] => [];

function prepareModel(agent: FocalAgent, model: string, settings: FocalSettings, env: Readonly<Record<string, string | undefined>>): Either<string, PreparedFocal> {
  const cache = settings.cache === undefined ? undefined : { store: openModelCache(join(settings.cache.dir, agent.name)), mode: settings.cache.mode };
  const replayOnly = cache?.mode === 'replay';
  const baseURL = setting(env, agent.name, 'BASE_URL');
  if (baseURL.value === undefined && !replayOnly) {
    return left(`--agent ${agent.name}: set ${envName(agent.name, 'BASE_URL')} (or AGENT_BASE_URL) to the API base, e.g. http://127.0.0.1:8080/v1`);
  }
  if (baseURL.value !== undefined && !URL.canParse(baseURL.value)) return left(`${baseURL.from}: expected a URL such as http://127.0.0.1:8080/v1, got ${JSON.stringify(baseURL.value)}`);
  const client =
    replayOnly || baseURL.value === undefined
      ? undefined
      : createChatClient({ baseURL: baseURL.value, apiKey: setting(env, agent.name, 'API_KEY').value, timeoutMs: settings.modelTimeoutMs, maxRetries: 2 });
  // Shared by the agent's worlds: a model that stopped answering is asked no more, in any world.
  const health = new ModelHealth();
  return right({
    agent,
    start({ seed }) {
      const meter = new UsageMeter();
      const faults: BrainFault[] = [];
      const brain = openAiBrain({
        model,
        endpoint: { client, cache, health },
        meter,
        trial: seed,
        temperature: settings.temperature,
        maxOutputTokens: settings.maxOutputTokens,
        turnTimeoutMs: settings.turnTimeoutMs,
        onFault: (fault) => faults.push(fault),
      });
      return {
        brain,
        usage: () => meter.usage,
        cost: () => costOf(meter.usage, model, settings.pricing),
        faults: () => faults,
        closed: () => Promise.resolve(),
        stderr: () => undefined,
      };
    },
  });
}

function prepareProcess(agent: FocalAgent, spec: Extract<FocalSpec, { kind: 'exec' | 'mcp' }>, settings: FocalSettings, env: Readonly<Record<string, string | undefined>>): Either<string, PreparedFocal> {
  const words = splitCommandLine(spec.command);
  if (isLeft(words)) return left(`--agent ${agent.name}: ${words.left}`);
  const problem = programProblem(words.right[0] ?? '', env);
  if (problem !== undefined) return left(`--agent ${agent.name}: ${problem}`);
  return right({
    agent,
    start({ scenario_id, seed }) {
      const faults: BrainFault[] = [];
      const common = { words: words.right, scenario_id, seed, turnTimeoutMs: settings.turnTimeoutMs, onFault: (fault: BrainFault) => void faults.push(fault) };
      const started = spec.kind === 'exec' ? execAgent({ ...common, tools: OFFERED_TOOLS }) : mcpAgent({ ...common, surface: FUNCTION_SURFACE });
      return {
        brain: started.brain,
        usage: () => NO_USAGE,
        cost: () => undefined,
        faults: () => faults,
        closed: () => started.closed(),
        stderr: () => started.process()?.stderr(),
      };
    },
  });
}

/** Checks every focal agent can run, before any world starts: the first that cannot is the problem. */
export function prepareFocalAgents(
  agents: readonly FocalAgent[],
  settings: FocalSettings,
  env: Readonly<Record<string, string | undefined>>,
): Either<string, PreparedFocal[]> {
  const prepared: PreparedFocal[] = [];
  for (const agent of agents) {
    const { spec } = agent;
    let ready: Either<string, PreparedFocal>;
    if (spec.kind === 'policy' || spec.kind === 'null' || spec.kind === 'random') {
      const brain = spec.kind === 'policy' ? policyFor(spec.policy, spec.params) : spec.kind === 'null' ? nullBrain : randomBrain(agent.name);
      ready = right({ agent, start: () => ({ brain, usage: (): Usage => NO_USAGE, cost: () => undefined, faults: noFaults, closed: () => Promise.resolve(), stderr: () => undefined }) });
    } else if (spec.kind === 'openai') ready = prepareModel(agent, spec.model, settings, env);
    else ready = prepareProcess(agent, spec, settings, env);
    if (isLeft(ready)) return ready;
    prepared.push(ready.right);
  }
  return right(prepared);
}
