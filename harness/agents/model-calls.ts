import { isLeft } from 'fp-ts/lib/Either.js';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatClient, ChatFailure } from '../models';
import { cacheKey, type CachedAnswer, type CacheMode, type ModelCache, type ModelRequest } from './model-cache';
import { replayedUsage, usageOfCompletion } from './usage';

/**
 * One model call as the agent's brain makes it: from the cache when it holds the answer (and the mode
 * allows), else from the endpoint, retried when the reply is unusable; the answer stored when the
 * mode records. Failures are errors whose message is the line the verdict shows.
 */

/** Attempts at a reply that is not a valid completion; the client retries transport faults on its own. */
const REPLY_ATTEMPTS = 3;
const REPLY_BACKOFF_MS = 250;

/**
 * Requests in a row that the model did not answer (each already tried up to 3 times by the client) before
 * the run stops: one such request is bad luck and two may be a restart, but by three the server is down or
 * overloaded, and going on would cost every remaining scenario its turn time-outs for nothing.
 */
export const UNANSWERED_REQUESTS_LIMIT = 3;

/**
 * How the agent's model has been answering, across every scenario run of one command: a failure that
 * going on cannot cure (a refused key, an unknown model, no such endpoint) or `UNANSWERED_REQUESTS_LIMIT`
 * requests in a row without an answer stop the run; once stopped, nothing more is sent.
 */
export class ModelHealth {
  private unansweredInARow = 0;
  private reason: string | undefined;

  /** Why the run is stopped, once it is. */
  get stopped(): string | undefined {
    return this.reason;
  }

  answered(): void {
    this.unansweredInARow = 0;
  }

  notAnswered(reason: string): void {
    this.unansweredInARow += 1;
    if (this.unansweredInARow >= UNANSWERED_REQUESTS_LIMIT) {
      this.stop(`the agent model has not answered ${UNANSWERED_REQUESTS_LIMIT} requests in a row (the last: ${reason})`);
    }
  }

  stop(reason: string): void {
    this.reason ??= reason;
  }
}

export interface ModelEndpoint {
  /** Absent in replay mode: nothing may be called. */
  readonly client?: ChatClient;
  readonly cache?: { readonly store: ModelCache; readonly mode: CacheMode };
  readonly health: ModelHealth;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** What a failed request means for the run: the end of it, a request not answered, or this scenario's problem alone. */
type Consequence = 'stops_the_run' | 'not_answered' | 'fails_the_scenario';

/** A model that says it does not know the model asked for (HTTP 404 or 400, as servers differ). */
const UNKNOWN_MODEL = /model.*(not[ _]found|does not exist|not exist|unknown|invalid)|(unknown|invalid|no such) model/i;

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** The failure in words a user can act on, and what it means for the run. */
export function namedFailure(failure: ChatFailure, client: Pick<ChatClient, 'host' | 'timeoutMs'>, model: string): { readonly reason: string; readonly consequence: Consequence } {
  const { host } = client;
  const body = failure.detail.replace(/^HTTP \d+: /, '');
  switch (failure.kind) {
    case 'timeout':
      return { reason: `no answer within ${seconds(client.timeoutMs)} from ${host}`, consequence: 'not_answered' };
    case 'unreachable':
      return /ECONNREFUSED/.test(failure.detail)
        ? { reason: `connection refused at ${host}`, consequence: 'not_answered' }
        : { reason: `cannot reach ${host}: ${failure.detail}`, consequence: 'not_answered' };
    case 'bad_reply':
      return { reason: `not an OpenAI-compatible response from ${host}: ${failure.detail}`, consequence: 'fails_the_scenario' };
    case 'http_error': {
      const status = failure.status ?? 0;
      if (status === 401 || status === 403) return { reason: `authentication failed (HTTP ${status}) at ${host}: ${body}`, consequence: 'stops_the_run' };
      if ((status === 404 || status === 400) && UNKNOWN_MODEL.test(body)) return { reason: `unknown model ${JSON.stringify(model)} (HTTP ${status}) at ${host}: ${body}`, consequence: 'stops_the_run' };
      if (status === 404 || status === 405) return { reason: `endpoint not found (HTTP ${status}): ${host} serves no chat completions at this base URL: ${body}`, consequence: 'stops_the_run' };
      if (status === 408 || status === 429 || status >= 500) return { reason: `HTTP ${status} from ${host}: ${body}`, consequence: 'not_answered' };
      return { reason: `HTTP ${status} from ${host}: ${body}`, consequence: 'fails_the_scenario' };
    }
  }
}

async function callEndpoint(client: ChatClient, health: ModelHealth, request: ModelRequest, signal: AbortSignal): Promise<CachedAnswer> {
  let reason = '';
  for (let attempt = 1; attempt <= REPLY_ATTEMPTS; attempt += 1) {
    const reply = await client.complete(request as ChatCompletionCreateParamsNonStreaming, { signal });
    if (signal.aborted) {
      // The turn was cut off (or the world stopped) while the model was still to answer.
      health.notAnswered('a turn cut off while waiting for its answer');
      throw new Error('the model call was cancelled');
    }
    if (!isLeft(reply)) {
      health.answered();
      return { completion: reply.right.completion, usage: usageOfCompletion(reply.right.completion.usage) };
    }
    const named = namedFailure(reply.left, client, request.model);
    reason = `agent model: ${named.reason}`;
    if (named.consequence === 'stops_the_run') health.stop(reason);
    if (named.consequence === 'not_answered') health.notAnswered(named.reason);
    if (named.consequence === 'fails_the_scenario') health.answered();
    if (reply.left.kind !== 'bad_reply') break;
    if (attempt < REPLY_ATTEMPTS) await pause(REPLY_BACKOFF_MS * 2 ** (attempt - 1), signal);
  }
  throw new Error(reason);
}

/**
 * `trial` is the seed of the scenario run asking: each epoch is an independent trial, so it has answers
 * of its own in the cache, in every mode, and a recorded run of several epochs replays each one's own.
 */
export async function callModel(endpoint: ModelEndpoint, request: ModelRequest, trial: number | string, signal: AbortSignal): Promise<CachedAnswer> {
  const { cache, client, health } = endpoint;
  // Once the run is stopped, an agent still at work (another scenario under way) sends nothing more.
  if (health.stopped !== undefined) throw new Error(`not sent: ${health.stopped}`);
  const key = cache === undefined ? undefined : cacheKey(request, trial);
  if (cache !== undefined && key !== undefined && cache.mode !== 'record') {
    const stored = cache.store.read(key);
    if (isLeft(stored)) throw new Error(stored.left);
    if (stored.right !== undefined) return { completion: stored.right.completion, usage: replayedUsage(stored.right.usage) };
    if (cache.mode === 'replay') {
      throw new Error(`no recorded answer in the model cache ${cache.store.dir} for key ${key} (record it with --model-cache-mode auto or record)`);
    }
  }
  if (client === undefined) throw new Error('no model endpoint to call (set AGENT_BASE_URL)');
  const answer = await callEndpoint(client, health, request, signal);
  if (cache !== undefined && key !== undefined) {
    const written = cache.store.write(key, trial, request, answer);
    if (isLeft(written)) throw new Error(written.left);
  }
  return answer;
}

export type { ChatCompletion };
