import { createHash } from 'node:crypto';

/**
 * The code version a queued item is stamped with: the hash of the bundled item runner (sweep-worker.ts and all it
 * imports, the engine and its libraries included), so two workers agree exactly when they would compute the same
 * answer, whatever their folders, checkouts or git state. SYNTROPISM_CODE_VERSION overrides it, for tests that
 * need a worker of another version.
 */
export const CODE_VERSION_ENV = 'SYNTROPISM_CODE_VERSION';

export function codeVersion(runnerScript: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env[CODE_VERSION_ENV];
  return given !== undefined && given !== '' ? given : createHash('sha256').update(runnerScript).digest('hex').slice(0, 16);
}
