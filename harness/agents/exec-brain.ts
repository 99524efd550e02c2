import { createInterface } from 'node:readline';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  AbandonTurn,
  defineAsyncBrain,
  type AsyncBrainOptions,
  type BrainFault,
  type BrainAnswer,
  type BrainLogic,
  type Phase,
} from '../../machines';
import { describeEnd, startAgentProcess, type AgentProcess } from './agent-process';
import { decodeAnswer, encodeLine, PROTOCOL_VERSION, quoteLine } from './exec-protocol';
import type { OfferedTool } from './tool-surface';
import type { ProcessLine } from './transcript';

/**
 * `--agent exec:CMD`: the agent under test is a process speaking the brain protocol as JSON lines on
 * its stdin and stdout. Each prompt gets exactly one answer line, in order. A line that is not a
 * valid answer ends the turn with a reason quoting it; an answer nobody asked for is a fault of its
 * own; a process that exits, or cannot be started, ends this and every later turn. A prompt whose turn
 * was cut off at its deadline is still owed its answer: that answer is dropped when it comes, so the
 * next prompt gets the next answer.
 */

export interface ExecAgentOptions extends AsyncBrainOptions {
  /** The program and its arguments, split into words. */
  readonly words: readonly string[];
  readonly scenario_id: string;
  readonly seed: string | number;
  readonly tools: readonly OfferedTool[];
  /** Where the process runs; the harness's working directory when absent. */
  readonly cwd?: string;
  /** How long the process may take to exit after `run.finished` before it is killed. */
  readonly exitGraceMs?: number;
  /** Told each line written to the process and read from it, for the run's log. */
  readonly onLine?: (direction: ProcessLine['direction'], text: string) => void;
}

export interface ExecAgent {
  /** The brain of the agent under test; it starts the process when the world starts the agent. */
  readonly brain: BrainLogic;
  /** The process, once the brain started it. */
  process(): AgentProcess | undefined;
  /** Settles when the process is gone after the run (or was never started). */
  closed(): Promise<void>;
}

export const EXIT_GRACE_MS = 5_000;

interface Awaited {
  resolve(answer: BrainAnswer): void;
  reject(error: Error): void;
}

export function execAgent(options: ExecAgentOptions): ExecAgent {
  let agentProcess: AgentProcess | undefined;
  let closing: Promise<void> | undefined;

  const brain = defineAsyncBrain((input) => {
    const child = startAgentProcess({
      words: options.words,
      cwd: options.cwd,
      env: { SYNTROPISM_AGENT_ID: input.agent_id, SYNTROPISM_SCENARIO_ID: options.scenario_id, SYNTROPISM_SEED: String(options.seed) },
    });
    agentProcess = child;
    let awaited: Awaited | undefined;
    /** Answers still owed to prompts whose turn was cut off. */
    let owed = 0;
    let lastTurn: { cycle: number; phase: Phase } | undefined;
    let ended: string | undefined;

    const fault = (reason: string) =>
      lastTurn !== undefined && options.onFault?.({ agent_id: input.agent_id, cycle: lastTurn.cycle, phase: lastTurn.phase, reason } satisfies BrainFault);

    createInterface({ input: child.child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (line.trim() === '') return;
      options.onLine?.('from_agent', line);
      if (owed > 0) {
        owed -= 1;
        return;
      }
      const waiting = awaited;
      awaited = undefined;
      if (waiting === undefined) {
        fault(`the agent answered when no answer was asked: ${quoteLine(line)}`);
        return;
      }
      const answer = decodeAnswer(line);
      if (isLeft(answer)) waiting.reject(new AbandonTurn(answer.left));
      else waiting.resolve(answer.right);
    });
    void child.exited.then((end) => {
      ended = end.kind === 'not_started' ? end.reason : `the agent process exited early (${describeEnd(end)})`;
      awaited?.reject(new Error(ended));
      awaited = undefined;
    });

    const write = (line: string) => {
      if (child.hasExited()) return;
      options.onLine?.('to_agent', line);
      child.child.stdin.write(line);
    };
    write(encodeLine({ type: 'hello', protocol: PROTOCOL_VERSION, agent_id: input.agent_id, scenario_id: options.scenario_id, tools: [...options.tools] }));

    return {
      act(prompt, signal) {
        if (prompt.type === 'turn.started') lastTurn = { cycle: prompt.observation.cycle, phase: prompt.phase };
        if (ended !== undefined) return Promise.reject(new Error(ended));
        return new Promise<BrainAnswer>((resolve, reject) => {
          awaited = { resolve, reject };
          signal.addEventListener('abort', () => {
            if (awaited?.resolve !== resolve) return;
            awaited = undefined;
            owed += 1;
            reject(new AbandonTurn('aborted'));
          });
          write(encodeLine(prompt));
        });
      },
      notice(event) {
        write(encodeLine({ type: 'notified', event }));
      },
      close() {
        write(encodeLine({ type: 'run.finished' }));
        closing = child.stop(options.exitGraceMs ?? EXIT_GRACE_MS).then(() => undefined);
      },
    };
  }, { ...options, awaiting: "the agent process's answer" });

  return {
    brain,
    process: () => agentProcess,
    closed: () => closing ?? (agentProcess === undefined ? Promise.resolve() : agentProcess.stop(options.exitGraceMs ?? EXIT_GRACE_MS).then(() => undefined)),
  };
}
