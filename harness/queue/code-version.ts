import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The code version a queued item is stamped with: one hash of everything that decides an item's answer — the
 * engine and the harness (domain/, machines/, harness/), the project's scenarios with their scripts and rubrics, and
 * the locked dependencies (package-lock.json) — by path and content. Two workers agree exactly when they would
 * compute the same answer, whatever folder they run in and whatever their git state. SYNTROPISM_CODE_VERSION
 * overrides it, for tests that need a worker of another version.
 */
const CODE_VERSION_ENV = 'SYNTROPISM_CODE_VERSION';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSIONED = ['domain', 'machines', 'harness', 'scenarios', 'package-lock.json'];

function filesUnder(path: string): string[] {
  const entries = readdirSync(path, { withFileTypes: true });
  return entries.flatMap((entry) => {
    const full = join(path, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  const given = env[CODE_VERSION_ENV];
  if (given !== undefined && given !== '') return given;
  const hash = createHash('sha256');
  const files = VERSIONED.flatMap((name) => (name.includes('.') ? [join(PROJECT_ROOT, name)] : filesUnder(join(PROJECT_ROOT, name)))).sort();
  for (const file of files) hash.update(`${relative(PROJECT_ROOT, file)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}
