import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { scenarioId, type Scenario } from '../../domain/benchmark/scenario';
import type { BrainFault, BrainLogic } from '../../machines';
import { createChatClient } from '../models';
import type { CacheMode, ModelCache } from './model-cache';
import { splitCommandLine } from './command-line';
import { execAgent } from './exec-brain';
import { mcpAgent } from './mcp-brain';
import { openAiBrain } from './openai-brain';
import { nullBrain, randomBrain } from './trivial-agents';
import { ModelHealth } from './model-calls';
import { FUNCTION_SURFACE, OFFERED_TOOLS } from './tool-surface';
import { ChatTranscript, ProcessTranscript, secretsOf, type ProcessLine, type Transcript } from './transcript';
import { NO_USAGE, UsageMeter, type Usage } from './usage';

/**
 * What drives the agent under test, as `--agent` names it: `script` (the scenario's script, the
 * default), `openai:MODEL` (a model over an OpenAI-compatible chat-completions API), `exec:CMD` (a
 * process speaking the brain protocol), `mcp:CMD` (an MCP client), or a trivial agent: `null` (ends
 * every turn) or `random` (random valid calls, seeded by the run's seed).
 */
export type AgentSpec =
  | { readonly kind: 'script' }
  | { readonly kind: 'openai'; readonly model: string }
  | { readonly kind: 'exec'; readonly command: string }
  | { readonly kind: 'mcp'; readonly command: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'random' };

export const TRIVIAL_AGENT_KINDS = ['null', 'random'] as const;
export type TrivialAgentKind = (typeof TRIVIAL_AGENT_KINDS)[number];

export const AGENT_KINDS = 'script, openai:MODEL, exec:CMD, mcp:CMD, null or random';

function isTrivialAgentKind(text: string): text is TrivialAgentKind {
  return (TRIVIAL_AGENT_KINDS as readonly string[]).includes(text);
}

export function parseAgentSpec(text: string): Either<string, AgentSpec> {
  if (text === 'script') return right({ kind: 'script' });
  if (isTrivialAgentKind(text)) return right({ kind: text });
  const match = /^(openai|exec|mcp):(.*)$/s.exec(text);
  if (match === null) return left(`--agent: expected ${AGENT_KINDS}, got ${JSON.stringify(text)}`);
  const [, kind, rest] = match as unknown as [string, 'openai' | 'exec' | 'mcp', string];
  if (rest.trim() === '') return left(`--agent ${kind}: expected ${kind === 'openai' ? 'a model name after "openai:"' : `a command after "${kind}:"`}`);
  return right(kind === 'openai' ? { kind, model: rest } : { kind, command: rest });
}

/** The agent under test of one scenario run: its brain, and what the run cost and went wrong on its side. */
export interface AgentUnderTest {
  readonly brain: BrainLogic;
  /** What the agent is told of its situation in every observation. */
  readonly briefing: Readonly<Record<string, unknown>>;
  usage(): Usage;
  faults(): readonly BrainFault[];
  /** Settles when whatever the agent ran on (a process, a server) is gone after the run. */
  closed(): Promise<void>;
  /** What the agent's process wrote on stderr, for an agent that is a process. */
  stderr(): string | undefined;
  /** What the agent was told and answered; none for an agent that runs inside the world (a trivial agent). */
  transcript(): Transcript | undefined;
  /** Why the whole run must stop (a failure going on cannot cure), once it must; for an agent that can fail so. */
  runStopped?(): string | undefined;
}

/**
 * What the agent is told: the scenario's task and situation and its initial state; never its
 * validation rules, expected behaviour or rubric.
 */
export function briefingOf(scenario: Scenario): Record<string, unknown> {
  return {
    task: scenario.description,
    ...(scenario.state_description === undefined ? {} : { situation: scenario.state_description }),
    initial_state: scenario.initial_state,
  };
}

export interface ModelAgentOptions {
  readonly turnTimeoutMs?: number;
  readonly modelTimeoutMs: number;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  readonly tokenLimit?: number;
  readonly cache?: { readonly store: ModelCache; readonly mode: CacheMode };
}

/** Builds a fresh agent under test for each scenario run. */
export type AgentFactory = (scenario: Scenario, seed: string | number) => AgentUnderTest;

/** Attempts per model request for transport faults (HTTP 429, 5xx, a time-out): the first and two retries. */
const TRANSPORT_RETRIES = 2;

/**
 * The factory of a model-driven agent, configured by `AGENT_BASE_URL` and `AGENT_API_KEY` (optional
 * for local servers). A replay from the model cache calls nothing, so needs no base URL.
 */
export function modelAgentFactory(
  spec: Extract<AgentSpec, { kind: 'openai' }>,
  options: ModelAgentOptions,
  env: Readonly<Record<string, string | undefined>>,
): Either<string, AgentFactory> {
  const baseURL = env.AGENT_BASE_URL;
  const replayOnly = options.cache?.mode === 'replay';
  if (baseURL === undefined || baseURL === '') {
    if (!replayOnly) return left('--agent openai: set AGENT_BASE_URL to the API base, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1');
  } else {
    try {
      new URL(baseURL);
    } catch {
      return left(`AGENT_BASE_URL: expected a URL such as http://127.0.0.1:8080/v1, got ${JSON.stringify(baseURL)}`);
    }
  }
  const apiKey = env.AGENT_API_KEY === '' ? undefined : env.AGENT_API_KEY;
  // Replay never opens a connection, so it gets no client at all.
  const client =
    replayOnly || baseURL === undefined || baseURL === ''
      ? undefined
      : createChatClient({ baseURL, apiKey, timeoutMs: options.modelTimeoutMs, maxRetries: TRANSPORT_RETRIES });
  // Shared by every scenario run of the command: a refused key or a silent model stops them all.
  const health = new ModelHealth();
  return right((scenario, seed) => {
    const meter = new UsageMeter();
    const faults: BrainFault[] = [];
    const transcript = new ChatTranscript(spec.model, secretsOf(env));
    const brain = openAiBrain({
      model: spec.model,
      endpoint: { client, cache: options.cache, health },
      meter,
      trial: seed,
      temperature: options.temperature,
      maxOutputTokens: options.maxOutputTokens,
      tokenLimit: options.tokenLimit,
      turnTimeoutMs: options.turnTimeoutMs,
      onFault: (fault) => faults.push(fault),
      transcript,
    });
    return {
      brain,
      briefing: briefingOf(scenario),
      usage: () => meter.usage,
      faults: () => faults,
      closed: () => Promise.resolve(),
      stderr: () => undefined,
      transcript: () => transcript.transcript,
      runStopped: () => health.stopped,
    };
  });
}

/** The factory of a trivial agent: its brain runs inside the world, costs nothing and cannot fail. */
export function trivialAgentFactory(kind: TrivialAgentKind): AgentFactory {
  return (scenario) => ({
    brain: kind === 'null' ? nullBrain : randomBrain(scenarioId(scenario)),
    briefing: briefingOf(scenario),
    usage: () => NO_USAGE,
    faults: () => [],
    closed: () => Promise.resolve(),
    stderr: () => undefined,
    transcript: () => undefined,
  });
}

/**
 * The factory of an agent that is a process of its own: one speaking the brain protocol in JSON
 * lines (`exec:`), or one taking the economy's tools from the MCP server the harness serves it (`mcp:`).
 * Either is offered the one tool surface; its command is split into words as a shell would, and run
 * without one.
 */
export function processAgentFactory(
  spec: Extract<AgentSpec, { kind: 'exec' | 'mcp' }>,
  options: { readonly turnTimeoutMs: number },
): Either<string, AgentFactory> {
  const words = splitCommandLine(spec.command);
  if (isLeft(words)) return left(`--agent ${spec.kind}: ${words.left}`);
  return right((scenario, seed) => {
    const faults: BrainFault[] = [];
    const transcript = new ProcessTranscript(spec.kind, secretsOf(process.env));
    const common = {
      words: words.right,
      scenario_id: scenarioId(scenario),
      seed,
      turnTimeoutMs: options.turnTimeoutMs,
      onFault: (fault: BrainFault) => void faults.push(fault),
      onLine: (direction: ProcessLine['direction'], text: string) => transcript.add(direction, text),
    };
    const agent = spec.kind === 'exec' ? execAgent({ ...common, tools: OFFERED_TOOLS }) : mcpAgent({ ...common, surface: FUNCTION_SURFACE });
    return {
      brain: agent.brain,
      briefing: briefingOf(scenario),
      usage: () => NO_USAGE,
      faults: () => faults,
      closed: () => agent.closed(),
      stderr: () => agent.process()?.stderr(),
      transcript: () => transcript.transcript,
    };
  });
}

