import { fromCallback } from 'xstate';
import type { DomainEvent } from '../../domain/economy/events';
import { actionsOf, brainAct, type BrainAnswer, type BrainEvent, type BrainInput, type BrainLogic, type BrainPrompt, type Phase } from './protocol';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * A brain that answers when it is ready: a language model, a process, a remote agent. The world waits
 * for its answers and stays deterministic, because nothing else happens while a turn is open: the
 * trace depends on what the brain answers, never on when.
 *
 * The wrapper keeps the protocol on the brain's behalf. One answer per prompt; an answer to a prompt
 * that was superseded (its turn was cut off) is dropped. A turn still open after the deadline is
 * abandoned with reason `brain_timeout`. A turn whose last `MAX_FAILED_CALLS_IN_A_ROW` tool calls all
 * failed is abandoned with reason `too_many_failed_calls` before the brain is asked again: whatever
 * drives it (a model paid per call, a process, an MCP client) is not making progress. `act` may reject
 * with `AbandonTurn` to give up one turn with a reason of its own (`token_limit`, a protocol fault);
 * any other rejection is a crash that ends this and every later turn.
 */
export interface AsyncBrain {
  /**
   * The brain's answer to `prompt`; `signal` aborts when the turn is cut off or the world stops. The
   * notices a turn arrives with are told to `notice` first, one by one, and left out of the prompt.
   */
  act(prompt: BrainPrompt, signal: AbortSignal): Promise<BrainAnswer>;
  notice?(event: DomainEvent): void;
  /** Releases what the brain holds (sockets, timers, processes); called once, when the world stops. */
  close?(): void | Promise<void>;
}

/**
 * Failed tool calls in a row that end a turn. A brain is told why each call failed, so one that fails
 * five times running is not correcting itself; a domain refusal it learns from (a bid too high, then a
 * lower one) succeeds well before that.
 */
export const MAX_FAILED_CALLS_IN_A_ROW = 5;

/** The failed tool calls a prompt tells of since its last successful one, and whether it tells of a successful one. */
function failedCallsIn(prompt: BrainPrompt): { readonly failed: readonly string[]; readonly succeeded: boolean } {
  const results = prompt.type === 'actions.performed' ? prompt.results : prompt.type === 'tool.result' ? [prompt] : [];
  let failed: string[] = [];
  let succeeded = false;
  for (const result of results) {
    if (result.type !== 'tool.result') continue;
    if (result.result === 'success') {
      failed = [];
      succeeded = true;
    } else {
      failed.push(`${result.tool_name}: ${result.reason}`);
    }
  }
  return { failed, succeeded };
}

/** Thrown by `act`: ends the current turn with `reason`; the brain is offered its next turn as usual. */
export class AbandonTurn extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AbandonTurn';
  }
}

/** A turn that did not end well, as the brain's side saw it: the harness turns these into its verdict. */
export interface BrainFault {
  readonly agent_id: string;
  readonly cycle: number;
  readonly phase: Phase;
  readonly reason: string;
}

export interface AsyncBrainOptions {
  /** Wall-clock time a turn may stay open; no deadline when absent. */
  readonly turnTimeoutMs?: number;
  /** Told of every turn that ended in a fault. */
  readonly onFault?: (fault: BrainFault) => void;
  /** What a turn waits for, for the fault of one cut off at its deadline (`the model gpt-4o's answer`). */
  readonly awaiting?: string;
}

function withoutNotices(prompt: BrainPrompt): BrainPrompt {
  if (prompt.type !== 'turn.started' || prompt.notices === undefined) return prompt;
  const { notices: _told, ...rest } = prompt;
  return rest;
}


/** Marks the logic of brains that hold something outside the world; a copy of the logic (a briefed brain) keeps it. */
const HOLDS_RESOURCES = Symbol('holdsResources');

/** Whether agents running `brain` hold something (sockets, timers, processes) that only stopping them releases. */
export function holdsResources(brain: BrainLogic): boolean {
  return (brain as { [HOLDS_RESOURCES]?: boolean })[HOLDS_RESOURCES] === true;
}

export function defineAsyncBrain(create: (input: BrainInput) => AsyncBrain, options: AsyncBrainOptions = {}): BrainLogic {
  const logic = fromCallback<BrainEvent, BrainInput>(({ input, receive }) => {
    const brain = create(input);
    let turn: { cycle: number; phase: Phase } | undefined;
    /** Counts prompts, so that an answer knows whether it is still awaited. */
    let promptCount = 0;
    let pending: AbortController | undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    let crashed: string | undefined;
    /** Tool calls of this turn that failed since its last successful one. */
    let failedInARow = 0;

    const clearDeadline = () => {
      if (deadline !== undefined) clearTimeout(deadline);
      deadline = undefined;
    };
    const startDeadline = () => {
      clearDeadline();
      const { turnTimeoutMs } = options;
      if (turnTimeoutMs === undefined) return;
      // How long and for what, for a person; the trace keeps the bare reason, which does not depend on the settings.
      const cutOff = `brain_timeout: waited ${Number((turnTimeoutMs / 1000).toFixed(3))} s for ${options.awaiting ?? "the brain's answer"}`;
      // Only a prompt still unanswered can hold a turn open: everything else in a world is synchronous.
      deadline = setTimeout(() => pending !== undefined && abandon('brain_timeout', cutOff), turnTimeoutMs);
    };
    /** `reason` goes to the agent (and so into the trace); `fault`, when it says more, to the harness. */
    const abandon = (reason: string, fault = reason) => {
      clearDeadline();
      pending?.abort();
      pending = undefined;
      promptCount += 1;
      if (turn !== undefined) options.onFault?.({ agent_id: input.agent_id, cycle: turn.cycle, phase: turn.phase, reason: fault });
      turn = undefined;
      input.agent.send({ type: 'turn.abandoned', reason });
    };

    receive((event) => {
      if (event.type === 'notified') {
        brain.notice?.(event.event);
        return;
      }
      if (event.type === 'turn.called') {
        if (turn !== undefined) startDeadline();
        return;
      }
      if (event.type === 'turn.started') {
        for (const notice of event.notices ?? []) brain.notice?.(notice);
        failedInARow = 0;
        turn = { cycle: event.observation.cycle, phase: event.phase };
        startDeadline();
        if (crashed !== undefined) {
          abandon(crashed);
          return;
        }
      } else {
        const { failed, succeeded } = failedCallsIn(event);
        failedInARow = (succeeded ? 0 : failedInARow) + failed.length;
        if (failedInARow >= MAX_FAILED_CALLS_IN_A_ROW) {
          abandon('too_many_failed_calls', `too_many_failed_calls: ${failedInARow} tool calls in a row failed; the last: ${failed.at(-1)}`);
          return;
        }
      }
      const prompt = ++promptCount;
      const controller = new AbortController();
      pending = controller;
      brain.act(withoutNotices(event), controller.signal).then(
        (answer) => {
          if (prompt !== promptCount) return;
          pending = undefined;
          const act = brainAct(answer);
          if (actionsOf(act).at(-1)?.kind === 'end_turn') {
            clearDeadline();
            turn = undefined;
          }
          input.agent.send(act);
        },
        (error: unknown) => {
          if (prompt !== promptCount) return;
          pending = undefined;
          if (error instanceof AbandonTurn) {
            abandon(error.reason);
            return;
          }
          crashed = `brain_failed: ${errorMessage(error)}`;
          abandon(crashed);
        },
      );
    });

    return () => {
      clearDeadline();
      pending?.abort();
      promptCount += 1;
      void Promise.resolve(brain.close?.()).catch(() => undefined);
    };
  });
  return Object.assign(logic, { [HOLDS_RESOURCES]: true });
}
