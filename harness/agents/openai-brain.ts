import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { DomainEvent } from '../../domain/economy/events';
import { errorMessage } from '../../domain/codec/error-message';
import {
  AbandonTurn,
  defineAsyncBrain,
  type AsyncBrainOptions,
  type ActionResult,
  type BrainAction,
  type BrainLogic,
  type BrainPrompt,
  type Observation,
  type Phase,
} from '../../machines';
import { callModel, type ModelEndpoint } from './model-calls';
import type { ModelRequest } from './model-cache';
import { actionOfFunctionCall, functionNameOf, toolsOfferedIn } from './tool-surface';
import type { ChatTranscript } from './transcript';
import { answeredTokens, type Usage, type UsageMeter } from './usage';

/**
 * The agent under test driven by a language model over an OpenAI-compatible chat-completions API.
 * The model keeps one conversation for the whole scenario run: a system prompt, then per turn a user
 * message with the observation and the notices received since, the model's replies and the results
 * of its tool calls. A reply's tool calls become one batch, in order, up to its first end_turn; the
 * results go back as tool messages, one per call id, before the next model call (those of a batch
 * that ended the turn come with the next turn). A call the world did not perform (after a failed call,
 * after end_turn, past the turn's cut-off) is answered as not performed. A reply with text and no
 * tool call is recorded as reasoning and ends the turn.
 */

export interface OpenAiBrainOptions extends AsyncBrainOptions {
  readonly model: string;
  readonly endpoint: ModelEndpoint;
  readonly meter: UsageMeter;
  /** The seed of the scenario run: the trial whose answers the model cache keeps apart from other epochs'. */
  readonly trial: number | string;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** The model tokens one scenario run may use; past it every turn ends with `token_limit`. */
  readonly tokenLimit?: number;
  /** Keeps the conversation for the run's log. */
  readonly transcript?: ChatTranscript;
}

export const SYSTEM_PROMPT = `You are an autonomous agent in the Syntropism economy, a simulated market where agents pay for the resources they run on.

How the economy works:
- You hold credits. Every action that uses resources costs credits; when your balance reaches zero you die and the run is over for you.
- Time passes in cycles. Each cycle has two kinds of turn. In a bidding turn you decide whether to buy an execution window: you bid credits for a bundle of resources (fractions of the system's capacity of cpu, memory, tokens and attention, held for a duration in seconds) with market_bid. Bids are cleared by an auction: the best bids win until capacity runs out; a lost bid costs nothing and you are told it was lost with your next turn.
- If your bid wins you get an executing turn inside the window it bought: there you can use the economy's tools (services, the language model, outputs, the human, spawning, code changes). Outside a window only the market, your balance and sleeping are open.
- Prices move with demand. agent_sleep makes you dormant for some cycles: you take no turns and spend nothing.
- Rewards come from what you deliver: outputs submitted, services others pay for, the human's scores.

How to act:
- Each turn you receive your observation (agent id, cycle, balance, prices, the execution window if you have one) and a briefing describing your situation and task.
- Before you act, record your reasoning and your decision with record_reasoning. After an outcome that teaches you something, record a reflection with record_reflection.
- Then call the tools you need. The calls of one reply are performed in order and stop at the first that fails (the calls after it are not performed); each call's result comes back to you.
- Call end_turn when you have nothing more to do this turn. Only the tools of the current phase are offered.`;

const RECORDED = JSON.stringify({ result: 'recorded' });
const TURN_ENDED = JSON.stringify({ result: 'turn_ended' });

/** A call of the model's last reply, or an action standing for its text (its reasoning and the turn's end), which has no call id. */
interface SentCall {
  readonly callId?: string;
  readonly functionName: string;
  readonly action: BrainAction;
}

/** What a call the world did not perform is answered with, so that the conversation stays valid. */
function notPerformed(reason: string): string {
  return JSON.stringify({ result: 'not_performed', reason });
}

function resultContent(result: ActionResult): string {
  if (result.type === 'action.recorded') return RECORDED;
  const { type: _type, ...outcome } = result;
  return JSON.stringify(outcome);
}

/** The reply's calls as one batch: up to and including the first end_turn, after which nothing can be performed. */
function batchOf(calls: readonly SentCall[]): BrainAction[] {
  const end = calls.findIndex((call) => call.action.kind === 'end_turn');
  return (end === -1 ? calls : calls.slice(0, end + 1)).map((call) => call.action);
}

/** The functions a model is offered in `phase`: the tools open in it, under their function names. */
export function modelToolsFor(phase: Phase): ChatCompletionTool[] {
  return toolsOfferedIn(phase).map((tool) => ({
    type: 'function',
    function: { name: functionNameOf(tool.name), description: tool.description, parameters: tool.parameters as Record<string, unknown> },
  }));
}

function noticeOf(event: DomainEvent): Record<string, unknown> {
  return { type: event.type, ...(event.data as Record<string, unknown>) };
}

function turnMessage(phase: Phase, observation: Observation, notices: readonly Record<string, unknown>[]): string {
  const { briefing, ...state } = observation;
  const parts = [
    `Cycle ${observation.cycle}: your ${phase} turn.`,
    `Observation: ${JSON.stringify(state)}`,
    ...(briefing === undefined ? [] : [`Briefing: ${JSON.stringify(briefing)}`]),
    ...(notices.length === 0 ? [] : [noticesMessage(notices)]),
  ];
  return parts.join('\n');
}

function noticesMessage(notices: readonly Record<string, unknown>[]): string {
  return `Notices since your last message: ${JSON.stringify(notices)}`;
}

export function openAiBrain(options: OpenAiBrainOptions): BrainLogic {
  const { model, endpoint, meter, trial, temperature, maxOutputTokens, tokenLimit } = options;

  return defineAsyncBrain(() => {
    const messages: ChatCompletionMessageParam[] = [];
    const say = (message: ChatCompletionMessageParam, usage?: Usage) => {
      messages.push(message);
      options.transcript?.add(message, usage);
    };
    say({ role: 'system', content: SYSTEM_PROMPT });
    let notices: Record<string, unknown>[] = [];
    /** The calls of the batch last sent, each to be answered once, in order, when its results come. */
    let sent: SentCall[] = [];
    let phase: Phase = 'bidding';

    /**
     * Answers every call of the last batch: the performed ones with their results, the end of the turn
     * when `turnEnded` (the batch's results came with the next turn), the rest as not performed.
     */
    const answerSent = (results: readonly ActionResult[], turnEnded: boolean) => {
      const last = results.at(-1);
      const failedCall = last?.type === 'tool.result' && last.result === 'failure' ? sent[results.length - 1] : undefined;
      const reasonNotPerformed =
        failedCall === undefined
          ? 'the turn ended before this call'
          : `the batch stopped at the failed call ${failedCall.functionName} (${failedCall.callId ?? 'no call id'})`;
      sent.forEach((call, index) => {
        if (call.callId === undefined) return;
        const result = results[index];
        const reachedTheEnd = turnEnded && index === results.length && call.action.kind === 'end_turn';
        const content = result !== undefined ? resultContent(result) : reachedTheEnd ? TURN_ENDED : notPerformed(reasonNotPerformed);
        say({ role: 'tool', tool_call_id: call.callId, content });
      });
      sent = [];
    };

    const askModel = async (signal: AbortSignal): Promise<readonly BrainAction[]> => {
      if (tokenLimit !== undefined && answeredTokens(meter.usage) >= tokenLimit) throw new AbandonTurn('token_limit');
      // What happened while the model's calls were performed (a bid rejected at once) is told before it answers again.
      if (notices.length > 0) say({ role: 'user', content: noticesMessage(notices) });
      notices = [];
      const request: ModelRequest = {
        model,
        messages: [...messages],
        tools: modelToolsFor(phase),
        ...(temperature === undefined ? {} : { temperature }),
        ...(maxOutputTokens === undefined ? {} : { max_tokens: maxOutputTokens }),
      };
      const answer = await callModel(endpoint, request, trial, signal).catch((error: unknown) => {
        if (!signal.aborted) options.transcript?.failed(errorMessage(error));
        throw error;
      });
      if (signal.aborted) throw new AbandonTurn('cancelled');
      meter.add(answer.usage);
      const message = answer.completion.choices[0]!.message;
      const calls = (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : []));
      const text = message.content ?? '';
      if (calls.length === 0) {
        say({ role: 'assistant', content: text }, answer.usage);
        const reasoning: SentCall[] = text.trim() === '' ? [] : [{ functionName: 'record_reasoning', action: { kind: 'reasoning', content: text, decision: null } }];
        sent = [...reasoning, { functionName: 'end_turn', action: { kind: 'end_turn' } }];
      } else {
        say(
          {
            role: 'assistant',
            content: message.content ?? null,
            tool_calls: calls.map(({ id, function: { name, arguments: args } }) => ({ id, type: 'function', function: { name, arguments: args } })),
          },
          answer.usage,
        );
        sent = calls.map((call) => ({ callId: call.id, functionName: call.function.name, action: actionOfFunctionCall(call.function.name, call.function.arguments) }));
      }
      return batchOf(sent);
    };

    return {
      notice(event) {
        notices.push(noticeOf(event));
      },
      async act(prompt: BrainPrompt, signal: AbortSignal): Promise<readonly BrainAction[]> {
        if (prompt.type === 'turn.started') {
          answerSent(prompt.results ?? [], true);
          phase = prompt.phase;
          say({ role: 'user', content: turnMessage(prompt.phase, prompt.observation, notices) });
          notices = [];
          return askModel(signal);
        }
        answerSent(prompt.type === 'actions.performed' ? prompt.results : [prompt], false);
        return askModel(signal);
      },
    };
  }, { ...options, awaiting: `the model ${model}'s answer` });
}
