import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { readJsonFile } from '../files';
import { NO_USAGE, type Usage } from './usage';
import { isOneOf } from '../../domain/codec/one-of';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * Recorded model answers, one readable JSON file per request of a trial: `<DIR>/<key>.json` holding the
 * trial (the seed of the scenario run: each epoch has its own), the request that determines the answer
 * (model, messages, tools, temperature, output-token cap), the completion and its usage. The key is the
 * SHA-256 of the trial and the request in a canonical form. Neither the base URL nor the API key is part
 * of a request, so neither is ever stored.
 */

export const CACHE_MODES = ['record', 'replay', 'auto'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export function isCacheMode(text: string): text is CacheMode {
  return isOneOf(CACHE_MODES, text);
}

/** Everything that determines a model's answer; nothing else goes into a key or an entry. */
export interface ModelRequest {
  readonly model: string;
  readonly messages: readonly unknown[];
  readonly tools: readonly unknown[];
  readonly temperature?: number;
  readonly max_tokens?: number;
}

export interface CachedAnswer {
  readonly completion: ChatCompletion;
  readonly usage: Usage;
}

const Entry = t.type({
  key: t.string,
  request: t.UnknownRecord,
  completion: t.UnknownRecord,
  usage: t.type({ model_calls: t.number, input_tokens: t.number, output_tokens: t.number, total_tokens: t.number }),
});

/** JSON with the keys of every object sorted, so that equal requests hash equally whatever their key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, member]) => member !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, member]) => `${JSON.stringify(key)}:${canonical(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(request: ModelRequest, trial: number | string): string {
  return createHash('sha256').update(canonical({ trial, request })).digest('hex');
}

export interface ModelCache {
  readonly dir: string;
  /** The stored answer, undefined when there is none; a Left when the entry is unreadable. */
  read(key: string): Either<string, CachedAnswer | undefined>;
  write(key: string, trial: number | string, request: ModelRequest, answer: CachedAnswer): Either<string, void>;
}

export function openModelCache(dir: string): ModelCache {
  const fileOf = (key: string) => join(dir, `${key}.json`);
  return {
    dir,
    read(key) {
      const file = fileOf(key);
      if (!existsSync(file)) return right(undefined);
      const entry = readJsonFile(file, Entry);
      if (isLeft(entry)) return left(`model cache entry ${entry.left.join('; ')}`);
      return right({ completion: entry.right.completion as unknown as ChatCompletion, usage: { ...NO_USAGE, ...entry.right.usage } });
    },
    write(key, trial, request, answer) {
      const file = fileOf(key);
      try {
        mkdirSync(dir, { recursive: true });
        // Written aside then renamed, so that a reader never sees half an entry.
        writeFileSync(`${file}.tmp`, `${JSON.stringify({ key, trial, request, completion: answer.completion, usage: answer.usage }, null, 2)}\n`);
        renameSync(`${file}.tmp`, file);
        return right(undefined);
      } catch (error) {
        return left(`cannot write the model cache entry ${file}: ${errorMessage(error)}`);
      }
    },
  };
}
