import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * The one client for OpenAI-compatible chat-completion endpoints (OpenAI, vLLM, llama.cpp server, Ollama's `/v1`,
 * LiteLLM, …), built on the official `openai` SDK; the HTTP judge and the language-model agent both call models
 * through it.
 *
 * Contract of `complete(request)`:
 * - it never throws and never hangs: it resolves to the completion, or to a `ChatFailure` whose `reason` is one
 *   line naming the host (`model unreachable at 127.0.0.1:8080: ECONNREFUSED: …`, `HTTP 401 from api.openai.com: "…"`);
 * - transport faults are retried by the SDK, up to `maxRetries` more times, with exponential back-off that honours
 *   `Retry-After` / `retry-after-ms`: HTTP 408, 409, 429 and 5xx, and — unless `retryConnectionFailures` is false —
 *   a failed connection and a time-out. Nothing else is retried: an unusable reply is the caller's to retry;
 * - `timeoutMs` bounds each attempt: the connection and the reply's headers (the SDK's time-out), then its body;
 * - the API key is sent as `Authorization: Bearer …` and nowhere else. It is removed from every text the client
 *   returns (an endpoint may echo it in an error body), the SDK's own logging is off, and the SDK's environment
 *   defaults (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, …) are never read: without `apiKey` no
 *   Authorization header is sent at all, so a local server needs none.
 */

export interface ChatClientOptions {
  /** The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`; `/chat/completions` is appended. */
  readonly baseURL: string;
  readonly apiKey?: string;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for transport faults only: 2 means up to 3 attempts. */
  readonly maxRetries: number;
  /** Whether a failed connection or a time-out is tried again, as the SDK does by default. */
  readonly retryConnectionFailures?: boolean;
}

export type ChatFailureKind = 'unreachable' | 'timeout' | 'http_error' | 'bad_reply';

interface Attempts {
  /** HTTP requests made. */
  readonly attempts: number;
  /** What went wrong at each attempt the SDK retried, in order (`HTTP 503`, `ECONNRESET`). */
  readonly retried: readonly string[];
}

export interface ChatReply extends Attempts {
  /** Checked to have at least one choice with a message whose `content` is a string or null; the rest as the SDK types it. */
  readonly completion: ChatCompletion;
}

export interface ChatFailure extends Attempts {
  readonly kind: ChatFailureKind;
  /** The HTTP status of an `http_error`. */
  readonly status?: number;
  /** What went wrong at the last attempt, without the host, for callers that name the endpoint themselves. */
  readonly detail: string;
  /** One line for a person: what went wrong and the host. */
  readonly reason: string;
}

export interface CompleteOptions {
  readonly maxRetries?: number;
  /** Cancels the request (the caller no longer wants the answer): it then resolves to an `unreachable` failure at once. */
  readonly signal?: AbortSignal;
}

export interface ChatClient {
  /** `host[:port]` of the base URL. */
  readonly host: string;
  /** How long one attempt may take. */
  readonly timeoutMs: number;
  complete(request: ChatCompletionCreateParamsNonStreaming, options?: CompleteOptions): Promise<Either<ChatFailure, ChatReply>>;
}

const EXCERPT_CHARS = 200;

/** A reply text on one line, quoted and cut to 200 characters. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat);
}

const CompletionShape = t.type({
  choices: t.refinement(
    t.array(t.type({ message: t.type({ content: t.union([t.string, t.null]) }) })),
    (choices) => choices.length > 0,
    'at least one choice',
  ),
});

/** The code and message of a failed `fetch` (undici puts them in `cause`). */
function connectionDetail(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  return [cause?.code, cause?.message ?? errorMessage(error)]
    .filter((part) => typeof part === 'string')
    .join(': ');
}

function connectionCode(error: unknown): string {
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' ? code : 'connection failed';
}

/** The SDK's own time-out aborts the request; an abort is how it reaches `fetch`. */
function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function createChatClient(options: ChatClientOptions): ChatClient {
  const host = new URL(options.baseURL).host;
  const { apiKey, timeoutMs } = options;
  const redact = (text: string): string => (apiKey === undefined ? text : text.split(apiKey).join('[redacted API key]'));

  async function complete(
    request: ChatCompletionCreateParamsNonStreaming,
    overrides: CompleteOptions = {},
  ): Promise<Either<ChatFailure, ChatReply>> {
    const retried: string[] = [];
    let attempts = 0;
    let attemptStarted = 0;
    /** What went wrong at the latest attempt, recorded in `retried` if the SDK tries again. */
    let lastNote = '';
    /** A connection failure or time-out the SDK must not retry; aborting `stop` is what makes it give up. */
    let finalFault: unknown;
    const stop = new AbortController();
    if (overrides.signal?.aborted) stop.abort();
    overrides.signal?.addEventListener('abort', () => stop.abort(), { once: true });

    const countingFetch: typeof fetch = async (input, init) => {
      if (attempts > 0) retried.push(lastNote);
      attempts += 1;
      attemptStarted = performance.now();
      try {
        const response = await fetch(input, init);
        lastNote = `HTTP ${response.status}`;
        return response;
      } catch (error) {
        lastNote = isAbort(error) ? `no answer within ${timeoutMs} ms` : connectionCode(error);
        if (options.retryConnectionFailures === false) {
          finalFault = error;
          stop.abort();
        }
        throw error;
      }
    };

    const client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: apiKey ?? 'no-key',
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      ...(apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
      timeout: timeoutMs,
      maxRetries: overrides.maxRetries ?? options.maxRetries,
      logLevel: 'off',
      fetch: countingFetch,
    });

    const failure = (kind: ChatFailureKind, detail: string, reason: string, status?: number): Either<ChatFailure, never> =>
      left({ kind, attempts, retried, detail: redact(detail), reason: redact(reason), ...(status === undefined ? {} : { status }) });
    const timedOut = () => failure('timeout', `no complete answer within ${timeoutMs} ms`, `no complete answer from ${host} within ${timeoutMs} ms`);
    const unreachable = (error: unknown) => {
      const detail = connectionDetail(error);
      return failure('unreachable', detail, `model unreachable at ${host}: ${detail}`);
    };

    let text: string;
    try {
      const response = await client.chat.completions.create(request, { signal: stop.signal }).asResponse();
      // The SDK's time-out ends with the headers; the rest of the attempt's time bounds the body.
      let bodyTimedOut = false;
      const bodyTimer = setTimeout(() => {
        bodyTimedOut = true;
        stop.abort();
      }, Math.max(0, attemptStarted + timeoutMs - performance.now()));
      try {
        text = await response.text();
      } catch (error) {
        return bodyTimedOut ? timedOut() : unreachable(error);
      } finally {
        clearTimeout(bodyTimer);
      }
    } catch (error) {
      if (error instanceof OpenAI.APIUserAbortError && finalFault !== undefined) {
        return isAbort(finalFault) ? timedOut() : unreachable(finalFault);
      }
      if (error instanceof OpenAI.APIConnectionTimeoutError) return timedOut();
      if (error instanceof OpenAI.APIConnectionError) return unreachable(error.cause ?? error);
      if (error instanceof OpenAI.APIError && error.status !== undefined) {
        // The SDK's message is the status, then the body's `error.message` (or the body itself).
        const body = excerpt(error.message.replace(/^\d+ /, ''));
        return failure('http_error', `HTTP ${error.status}: ${body}`, `HTTP ${error.status} from ${host}: ${body}`, error.status);
      }
      const detail = errorMessage(error);
      return failure('unreachable', detail, `cannot call the model at ${host}: ${detail}`);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      const detail = `the response body is not JSON: ${excerpt(text)}`;
      return failure('bad_reply', detail, `unusable reply from ${host}: ${detail}`);
    }
    const shape = decodeWith(CompletionShape, body);
    if (isLeft(shape)) {
      const detail = `the response is not a chat completion: ${shape.left.map(formatIssue).join('; ')}`;
      return failure('bad_reply', detail, `unusable reply from ${host}: ${detail}`);
    }
    return right({ completion: body as ChatCompletion, attempts, retried });
  }

  return { host, timeoutMs, complete };
}
