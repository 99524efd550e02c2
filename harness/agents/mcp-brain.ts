import type { DomainEvent } from '../../domain/economy/events';
import {
  AbandonTurn,
  defineAsyncBrain,
  type AsyncBrainOptions,
  type BrainAction,
  type BrainLogic,
  type BrainPrompt,
  type Observation,
  type Phase,
} from '../../machines';
import { describeEnd, startAgentProcess, type AgentProcess } from './agent-process';
import type { ProcessLine } from './transcript';
import { EXIT_GRACE_MS } from './exec-brain';
import type { OfferedTool } from './tool-surface';
import { startMcpToolServer, type McpToolServer, type ToolAnswer } from './mcp-server';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * `--agent mcp:CMD`: the agent under test runs its own loop and takes the economy's tools from an MCP
 * server the harness serves to it alone. `wait_for_turn` blocks until the agent's next turn begins;
 * each tool it then calls is the agent's next action in that turn, and the call returns once the world
 * has performed it. A call while no turn is open is an error; a turn not ended by its deadline is cut
 * off (`brain_timeout`, saying so when the agent never asked for its turn); a process that exits or
 * cannot be started ends this and every later turn.
 *
 * The turn is the agent's, not a connection's: any number of MCP sessions may call any tool, one call
 * at a time within a turn. A later `wait_for_turn` takes over from one still waiting (the client that
 * made it reconnected), and one whose caller is gone hands no turn to it. What the world tells the
 * agent (injected events, bids lost at allocation) waits in its notices, which `wait_for_turn` answers
 * with and `read_notices` returns at any moment.
 */

/** The tools as the agent sees them, and what a call of one asks the world to do. */
export interface AgentToolSurface {
  /** Agent-facing names: the economy's tools and `record_reasoning`, `record_reflection`, `end_turn`. */
  readonly tools: readonly OfferedTool[];
  /** The action a call asks for; a call that cannot be one (a bad argument to `record_reasoning`) is a refused tool call. */
  actionOf(name: string, args: Readonly<Record<string, unknown>>): BrainAction;
}

export interface McpAgentOptions extends Omit<AsyncBrainOptions, 'turnTimeoutMs'> {
  readonly words: readonly string[];
  readonly scenario_id: string;
  readonly seed: string | number;
  readonly surface: AgentToolSurface;
  /** Wall-clock time a turn may stay open; no deadline when absent. */
  readonly turnTimeoutMs?: number;
  readonly cwd?: string;
  readonly exitGraceMs?: number;
  /** Told each tool call of the agent and its answer, for the run's log. */
  readonly onLine?: (direction: ProcessLine['direction'], text: string) => void;
}

export interface McpAgent {
  readonly brain: BrainLogic;
  process(): AgentProcess | undefined;
  /** The server's endpoint, once it listens. */
  url(): string | undefined;
  /** Settles when the process is gone and the server closed after the run. */
  closed(): Promise<void>;
}

export const WAIT_FOR_TURN = 'wait_for_turn';
export const READ_NOTICES = 'read_notices';

/** The tools only an MCP agent has, beside the surface every agent is offered: one paces its loop, the other reads its notices. */
export const MCP_LOOP_TOOLS: readonly OfferedTool[] = [
  {
    name: WAIT_FOR_TURN,
    description:
      'Blocks until your next turn begins; returns {"phase": "bidding"|"executing", "observation": {...}, "tools": [names open now], "notices": [events not yet read]}, or {"finished": true} when the run is over. Call it first, and again after end_turn.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    phases: ['bidding', 'executing'],
  },
  {
    name: READ_NOTICES,
    description:
      'Returns {"notices": [events]}: what the world told you since you last read (an injected event such as bid_rejected, a bid that lost at allocation), each a domain event with its data. Not an action: callable at any moment, it changes nothing in the world.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    phases: ['bidding', 'executing'],
  },
];

interface OpenTurn {
  readonly phase: Phase;
  readonly observation: Observation;
  /** Whether `wait_for_turn` has handed this turn to the agent. */
  delivered: boolean;
}

type TurnNews = { phase: Phase; observation: Observation; tools: string[]; notices: DomainEvent[] } | { finished: true };

/** Resolves a promise from outside, once. */
function deferred<A>() {
  let settle!: { resolve: (value: A) => void; reject: (error: Error) => void };
  const promise = new Promise<A>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

export function mcpAgent(options: McpAgentOptions): McpAgent {
  const { surface } = options;
  const grace = options.exitGraceMs ?? EXIT_GRACE_MS;
  let agentProcess: AgentProcess | undefined;
  let server: McpToolServer | undefined;
  let closing: Promise<void> | undefined;

  const brain = defineAsyncBrain((input) => {
    let turn: OpenTurn | undefined;
    let finished = false;
    let everWaited = false;
    let ended: string | undefined;
    /** The world awaits the agent's next action. */
    let nextAction: ReturnType<typeof deferred<BrainAction>> | undefined;
    /** The agent awaits the world's answer to the call it made. */
    let callAnswer: ReturnType<typeof deferred<ToolAnswer>> | undefined;
    /** A `wait_for_turn` call waiting for the next turn. */
    let turnWaiter: ReturnType<typeof deferred<ToolAnswer>> | undefined;
    /** What the world told the agent that it has not read yet. */
    let unread: DomainEvent[] = [];
    const takeNotices = (): DomainEvent[] => {
      const notices = unread;
      unread = [];
      return notices;
    };
    let deadline: ReturnType<typeof setTimeout> | undefined;

    const openTools = (phase: Phase) => surface.tools.filter((tool) => tool.phases.includes(phase)).map((tool) => tool.name);
    const deliver = () => {
      if (turnWaiter === undefined) return;
      if (finished) turnWaiter.resolve({ ok: true, value: { finished: true } satisfies TurnNews });
      else if (turn !== undefined && !turn.delivered) {
        turn.delivered = true;
        turnWaiter.resolve({ ok: true, value: { phase: turn.phase, observation: turn.observation, tools: openTools(turn.phase), notices: takeNotices() } satisfies TurnNews });
      } else return;
      turnWaiter = undefined;
    };
    /** The world's next prompt, handed to the agent's call; the agent's next call, handed to the world. */
    const awaitAction = (): Promise<BrainAction> => {
      if (ended !== undefined) return Promise.reject(new Error(ended));
      nextAction = deferred<BrainAction>();
      return nextAction.promise;
    };
    const endTurn = () => {
      if (deadline !== undefined) clearTimeout(deadline);
      deadline = undefined;
      turn = undefined;
    };
    const act = (action: BrainAction): Promise<ToolAnswer> | undefined => {
      const waiting = nextAction;
      nextAction = undefined;
      if (action.kind === 'end_turn') endTurn();
      else callAnswer = deferred<ToolAnswer>();
      waiting?.resolve(action);
      return callAnswer?.promise;
    };

    function waitForTurn(signal: AbortSignal): Promise<ToolAnswer> {
      everWaited = true;
      // Asking for the next turn in the middle of one ends it.
      if (turn?.delivered === true && nextAction !== undefined) act({ kind: 'end_turn' });
      // The agent asks again, maybe from a new connection after a drop: the latest caller gets the turn.
      turnWaiter?.resolve({ ok: false, reason: 'superseded: a later wait_for_turn call takes the next turn' });
      const waiter = deferred<ToolAnswer>();
      turnWaiter = waiter;
      signal.addEventListener('abort', () => {
        if (turnWaiter !== waiter) return;
        turnWaiter = undefined;
        waiter.resolve({ ok: false, reason: 'the call was abandoned by its caller' });
      });
      deliver();
      return waiter.promise;
    }

    async function call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolAnswer> {
      if (name === WAIT_FOR_TURN) return waitForTurn(signal);
      if (name === READ_NOTICES) return { ok: true, value: { notices: takeNotices() } };
      if (turn?.delivered !== true) return { ok: false, reason: finished ? 'the run is over' : 'no turn is open: call wait_for_turn first' };
      if (nextAction === undefined) return { ok: false, reason: 'another call of this turn is still running: calls are answered one at a time' };
      const answer = act(surface.actionOf(name, args));
      return answer === undefined ? { ok: true, value: { ended: true } } : answer;
    }

    const recordedCall = async (name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolAnswer> => {
      options.onLine?.('from_agent', JSON.stringify({ call: name, arguments: args }));
      const answer = await call(name, args, signal);
      options.onLine?.('to_agent', JSON.stringify(answer));
      return answer;
    };
    const serving = startMcpToolServer(`syntropism-${input.agent_id}`, [...MCP_LOOP_TOOLS, ...surface.tools].map(({ name, description, parameters }) => ({ name, description, inputSchema: parameters })), recordedCall).then(
      (started) => {
        server = started;
        if (finished) return started;
        agentProcess = startAgentProcess({
          words: options.words,
          cwd: options.cwd,
          env: { SYNTROPISM_MCP_URL: started.url, SYNTROPISM_AGENT_ID: input.agent_id, SYNTROPISM_SCENARIO_ID: options.scenario_id, SYNTROPISM_SEED: String(options.seed) },
        });
        void agentProcess.exited.then((end) => {
          if (finished) return;
          const how = end.kind === 'not_started' ? end.reason : `the agent process exited early (${describeEnd(end)})`;
          ended = everWaited ? how : `${how} without calling wait_for_turn`;
          nextAction?.reject(new Error(ended));
          nextAction = undefined;
        });
        return started;
      },
      (error: unknown) => {
        ended = `the MCP server could not start: ${errorMessage(error)}`;
        nextAction?.reject(new Error(ended));
        return undefined;
      },
    );

    const answerCall = (prompt: Exclude<BrainPrompt, { type: 'turn.started' }>) => {
      const { type: _type, ...value } = prompt;
      callAnswer?.resolve(prompt.type === 'tool.result' && prompt.result === 'failure' ? { ok: false, reason: prompt.reason, value } : { ok: true, value });
      callAnswer = undefined;
    };

    return {
      act(prompt, signal) {
        if (prompt.type === 'turn.started') {
          turn = { phase: prompt.phase, observation: prompt.observation, delivered: false };
          deliver();
        } else answerCall(prompt);
        const action = awaitAction();
        const pending = nextAction;
        if (prompt.type === 'turn.started' && options.turnTimeoutMs !== undefined) {
          deadline = setTimeout(() => {
            const reason = turn?.delivered === false ? 'brain_timeout: the agent did not call wait_for_turn' : 'brain_timeout';
            const waiting = nextAction;
            nextAction = undefined;
            endTurn();
            waiting?.reject(new AbandonTurn(reason));
          }, options.turnTimeoutMs);
        }
        signal.addEventListener('abort', () => {
          if (nextAction !== pending) return;
          nextAction = undefined;
          endTurn();
          pending?.reject(new AbandonTurn('aborted'));
        });
        return action;
      },
      notice(event) {
        unread.push(event);
      },
      close() {
        finished = true;
        endTurn();
        deliver();
        closing = (async () => {
          const started = await serving;
          await agentProcess?.stop(grace);
          await started?.close();
        })();
      },
    };
  }, options.onFault === undefined ? {} : { onFault: options.onFault });

  return {
    brain,
    process: () => agentProcess,
    url: () => server?.url,
    closed: () => closing ?? Promise.resolve(),
  };
}
