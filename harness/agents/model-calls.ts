import { isLeft } from 'fp-ts/lib/Either.js';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatClient } from '../models/chat-client';
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

export interface ModelEndpoint {
  /** Absent in replay mode: nothing may be called. */
  readonly client?: ChatClient;
  readonly cache?: { readonly store: ModelCache; readonly mode: CacheMode };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

async function callEndpoint(client: ChatClient, request: ModelRequest, signal: AbortSignal): Promise<CachedAnswer> {
  let reason = '';
  for (let attempt = 1; attempt <= REPLY_ATTEMPTS; attempt += 1) {
    const reply = await client.complete(request as ChatCompletionCreateParamsNonStreaming, { signal });
    if (signal.aborted) throw new Error('the model call was cancelled');
    if (!isLeft(reply)) return { completion: reply.right.completion, usage: usageOfCompletion(reply.right.completion.usage) };
    reason = `agent model unreachable at ${client.host}: ${reply.left.detail}`;
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
  const { cache, client } = endpoint;
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
  const answer = await callEndpoint(client, request, signal);
  if (cache !== undefined && key !== undefined) {
    const written = cache.store.write(key, trial, request, answer);
    if (isLeft(written)) throw new Error(written.left);
  }
  return answer;
}

export type { ChatCompletion };
