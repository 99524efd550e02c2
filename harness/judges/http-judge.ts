import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue, type DecodeIssue } from '../../domain/decode';
import { errorMessage } from '../../domain/error-message';
import { JUDGE_SYSTEM_PROMPT, judgePrompt } from './judge-prompt';
import {
  verdictOf,
  type Judge,
  type JudgeCriterionVerdict,
  type JudgeFailure,
  type JudgeFailureKind,
  type JudgeRequest,
  type JudgeVerdict,
} from './judge';

/**
 * A judge that asks an OpenAI-compatible chat-completions endpoint (DESIGN.md section 7). The API key
 * goes into the Authorization header and nowhere else: not the prompt, not a message, not a trace.
 */

export interface HttpJudgeConfig {
  /** The API base, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
}

export interface HttpJudgeOptions {
  /** Per attempt, covering the connection, the reply's headers and its body. */
  readonly timeoutMs?: number;
  /** Attempts in all, for unusable replies and retryable statuses (429, 5xx). */
  readonly maxAttempts?: number;
  readonly fetch?: typeof fetch;
}

export const DEFAULT_JUDGE_TIMEOUT_MS = 60_000;
export const DEFAULT_JUDGE_MAX_ATTEMPTS = 3;

/** Reads `JUDGE_BASE_URL`, `JUDGE_MODEL` and the optional `JUDGE_API_KEY`; an empty value counts as unset. */
export function httpJudgeConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Either<string, HttpJudgeConfig> {
  const baseUrl = env.JUDGE_BASE_URL?.trim() ?? '';
  const model = env.JUDGE_MODEL?.trim() ?? '';
  const missing = [baseUrl === '' ? 'JUDGE_BASE_URL' : [], model === '' ? 'JUDGE_MODEL' : []].flat();
  if (missing.length > 0) {
    return left(
      `The HTTP judge is not configured: set ${missing.join(' and ')} ` +
        '(JUDGE_BASE_URL is the OpenAI-compatible API base, e.g. https://api.openai.com/v1; JUDGE_MODEL the model name; ' +
        'JUDGE_API_KEY, if the endpoint needs one, is sent as a bearer token).',
    );
  }
  if (!/^https?:\/\/[^/]/i.test(baseUrl) || !URL.canParse(baseUrl)) {
    return left(`JUDGE_BASE_URL must be an http:// or https:// URL, got ${JSON.stringify(baseUrl)}.`);
  }
  const apiKey = env.JUDGE_API_KEY?.trim() ?? '';
  return right(apiKey === '' ? { baseUrl, model } : { baseUrl, model, apiKey });
}

const ChatCompletion = t.type({
  choices: t.tuple([t.type({ message: t.type({ content: t.string }) })]),
});

/** Only what is needed to find the requested criteria; each one found is then decoded on its own. */
const JudgeReply = t.intersection([
  t.type({ criteria: t.array(t.UnknownRecord), feedback: t.string }),
  t.partial({ overall_score: t.number }),
]);

const CriterionScore = t.type({
  criterion: t.string,
  score: t.refinement(t.number, (n) => n >= 1 && n <= 5, 'a score from 1 to 5'),
  justification: t.string,
});

/** Matches the model's arithmetic when it only rounded the mean. */
const OVERALL_SCORE_TOLERANCE = 0.01;
const EXCERPT_CHARS = 200;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat);
}

/** A JSON object, bare or in a ```json fence; the text around a fence is ignored. */
function replyJson(content: string): Either<string, unknown> {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(content);
  const text = (fenced?.[1] ?? content).trim();
  try {
    return right(JSON.parse(text));
  } catch (error) {
    return left(`the reply is not JSON (${(error as Error).message}): ${excerpt(text)}`);
  }
}

function issuesText(issues: readonly DecodeIssue[]): string {
  return issues.map(formatIssue).join('; ');
}

/** The verdict in a reply's message content, or every reason it cannot be used. */
function verdictFromReply(content: string, request: JudgeRequest): Either<string, JudgeVerdict> {
  const parsed = replyJson(content);
  if (isLeft(parsed)) return parsed;
  const reply = decodeWith(JudgeReply, parsed.right);
  if (isLeft(reply)) return left(`the reply does not have the requested shape: ${issuesText(reply.left)}`);
  const { criteria: entries, feedback, overall_score: reportedOverall } = reply.right;

  const problems: string[] = [];
  const scores: JudgeCriterionVerdict[] = [];
  for (const criterion of request.criteria) {
    const positions = entries.flatMap((entry, index) => (entry.criterion === criterion ? [index] : []));
    const [position, ...repeats] = positions;
    if (position === undefined) {
      const given = entries.map((entry) => (typeof entry.criterion === 'string' ? entry.criterion : '?'));
      problems.push(`criterion ${criterion} is missing (the reply scores: ${given.join(', ') || 'nothing'})`);
    } else if (repeats.length > 0) {
      problems.push(`criterion ${criterion} is scored ${positions.length} times`);
    } else {
      const score = decodeWith(CriterionScore, entries[position], `$.criteria[${position}]`);
      if (isLeft(score)) problems.push(issuesText(score.left));
      else scores.push({ criterion, score: score.right.score, justification: score.right.justification });
    }
  }
  if (problems.length > 0) return left(problems.join('; '));

  const verdict = verdictOf(scores, request.threshold, feedback);
  if (reportedOverall === undefined || Math.abs(reportedOverall - verdict.overall_score) < OVERALL_SCORE_TOLERANCE) {
    return right(verdict);
  }
  const note = `(The judge reported an overall score of ${reportedOverall}; the mean of the requested criteria is ${verdict.overall_score}.)`;
  return right({ ...verdict, feedback: feedback === '' ? note : `${feedback} ${note}` });
}

interface AttemptProblem {
  readonly kind: JudgeFailureKind;
  readonly message: string;
  readonly retryable: boolean;
}

function problem(kind: JudgeFailureKind, message: string, retryable: boolean): Either<AttemptProblem, never> {
  return left({ kind, message, retryable });
}

function networkProblem(error: unknown, timeoutMs: number): Either<AttemptProblem, never> {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return problem('timeout', `no complete answer within ${timeoutMs} ms`, false);
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const reason = [cause?.code, cause?.message ?? errorMessage(error)]
    .filter((part) => typeof part === 'string')
    .join(': ');
  return problem('unreachable', `cannot reach the endpoint (${reason})`, false);
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function createHttpJudge(config: HttpJudgeConfig, options: HttpJudgeOptions = {}): Judge {
  const endpoint = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_JUDGE_MAX_ATTEMPTS;
  const fetchReply = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;

  // An endpoint may echo the key back in an error body; it must not travel on from there.
  const redact = (text: string): string =>
    config.apiKey === undefined ? text : text.split(config.apiKey).join('[redacted API key]');

  async function attempt(request: JudgeRequest): Promise<Either<AttemptProblem, JudgeVerdict>> {
    const body = JSON.stringify({
      model: config.model,
      messages: [
        { role: 'system', content: JUDGE_SYSTEM_PROMPT },
        { role: 'user', content: judgePrompt(request) },
      ],
      temperature: 0,
      response_format: { type: 'json_object' },
    });
    let status: number;
    let text: string;
    try {
      const response = await fetchReply(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      return networkProblem(error, timeoutMs);
    }
    if (status < 200 || status > 299) {
      return problem('http_error', `HTTP ${status}: ${excerpt(text)}`, isRetryableStatus(status));
    }
    let completion: unknown;
    try {
      completion = JSON.parse(text);
    } catch {
      return problem('bad_reply', `the response body is not JSON: ${excerpt(text)}`, true);
    }
    const decoded = decodeWith(ChatCompletion, completion);
    if (isLeft(decoded)) {
      return problem('bad_reply', `the response is not a chat completion: ${issuesText(decoded.left)}`, true);
    }
    const verdict = verdictFromReply(decoded.right.choices[0].message.content, request);
    return isLeft(verdict) ? problem('bad_reply', verdict.left, true) : verdict;
  }

  async function evaluate(request: JudgeRequest): Promise<Either<JudgeFailure, JudgeVerdict>> {
    const context = `HTTP judge ${config.model} at ${endpoint}, judging ${request.block} of ${request.scenarioId}`;
    const problems: string[] = [];
    for (let attempts = 1; ; attempts += 1) {
      const outcome = await attempt(request);
      if (!isLeft(outcome)) return outcome;
      const { kind, message, retryable } = outcome.left;
      problems.push(`attempt ${attempts}: ${message}`);
      if (!retryable || attempts >= maxAttempts) {
        return left({ kind, attempts, message: redact(`${context}: ${problems.join('; ')}`) });
      }
    }
  }

  return { name: `http:${config.model}`, evaluate };
}
