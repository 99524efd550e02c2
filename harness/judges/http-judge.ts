import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue, type DecodeIssue } from '../../domain/codec/decode';
import { createChatClient, excerpt } from '../models';
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
 * A judge that asks an OpenAI-compatible chat-completions endpoint (docs/DESIGN.md section 7) through the shared
 * chat client (harness/models/chat-client.ts). The API key goes into the Authorization header and nowhere
 * else: not the prompt, not a message, not a trace.
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
  /** HTTP requests in all, for unusable replies and retryable statuses (408, 409, 429, 5xx). */
  readonly maxAttempts?: number;
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

export function createHttpJudge(config: HttpJudgeConfig, options: HttpJudgeOptions = {}): Judge {
  const baseURL = config.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_JUDGE_MAX_ATTEMPTS;
  // The README promises that an unreachable endpoint and a time-out fail at once.
  const client = createChatClient({
    baseURL,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    timeoutMs,
    maxRetries: maxAttempts - 1,
    retryConnectionFailures: false,
  });
  // An endpoint may echo the key in a reply's content too, which the bad-reply messages quote.
  const redact = (text: string): string =>
    config.apiKey === undefined ? text : text.split(config.apiKey).join('[redacted API key]');

  async function evaluate(request: JudgeRequest): Promise<Either<JudgeFailure, JudgeVerdict>> {
    const context = `HTTP judge ${config.model} at ${baseURL}/chat/completions, judging ${request.block} of ${request.scenarioId}`;
    const chatRequest = {
      model: config.model,
      messages: [
        { role: 'system' as const, content: JUDGE_SYSTEM_PROMPT },
        { role: 'user' as const, content: judgePrompt(request) },
      ],
      temperature: 0,
      response_format: { type: 'json_object' as const },
    };
    const problems: string[] = [];
    let attempts = 0;
    // The client retries transport faults within one call; an unusable reply is retried here, within the same budget.
    for (;;) {
      const outcome = await client.complete(chatRequest, { maxRetries: maxAttempts - attempts - 1 });
      const { retried } = isLeft(outcome) ? outcome.left : outcome.right;
      for (const note of retried) problems.push(`attempt ${(attempts += 1)}: ${note}`);
      attempts += 1;
      let kind: JudgeFailureKind;
      let message: string;
      if (isLeft(outcome)) {
        kind = outcome.left.kind;
        message = kind === 'unreachable' ? `cannot reach the endpoint (${outcome.left.detail})` : outcome.left.detail;
      } else {
        const content = outcome.right.completion.choices[0]!.message.content;
        const verdict = content === null ? left('the reply has no text content') : verdictFromReply(content, request);
        if (!isLeft(verdict)) return verdict;
        kind = 'bad_reply';
        message = verdict.left;
      }
      problems.push(`attempt ${attempts}: ${message}`);
      if (kind !== 'bad_reply' || attempts >= maxAttempts) {
        return left({ kind, attempts, message: redact(`${context}: ${problems.join('; ')}`) });
      }
    }
  }

  return { name: `http:${config.model}`, evaluate };
}
