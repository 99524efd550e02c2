import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { EVENT_SOURCES } from '../domain/economy/events';
import { UPSTREAM_SCENARIOS_VARIABLE } from './fixtures/upstream-scenarios';

/**
 * A clone in a folder of its own, on the Node the README names, runs every test: no tracked file leans on
 * a path beside the repo, every installed package supports that Node, and the tests of the upstream files
 * skip, saying so, when they are not there.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** `.ci/run` may look beside the repo: that is where CI finds the upstream files, and it goes on without them. */
const ALLOWED_TO_LOOK_OUTSIDE = ['.ci/run'];
/** The folder beside the repo, or the machine's work folder; in pieces, so that this file does not name them itself. */
const OUTSIDE = new RegExp(`${['\\.\\.', 'shared', ''].join('/')}|${['', 'work', ''].join('/')}`);

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter((file) => file !== '');
}

/** The files among `files` whose text names a path outside the repo. */
function filesLookingOutside(read: (file: string) => string, files: readonly string[]): string[] {
  return files.filter((file) => !ALLOWED_TO_LOOK_OUTSIDE.includes(file) && OUTSIDE.test(read(file)));
}

test('no tracked file names a path outside the repo', () => {
  const read = (file: string) => readFileSync(join(REPO, file), 'utf8');
  assert.equal(filesLookingOutside(read, trackedFiles().filter((file) => !file.endsWith('package-lock.json'))), []);
});

test('the check notices a test reading the upstream folder beside the repo', () => {
  // Written in pieces, so that this file does not name the path it looks for.
  const texts: Record<string, string> = { 'test/a.test.ts': "join(REPO, '..', 'x')", 'test/b.test.ts': `'${['..', 'shared', 'reference'].join('/')}/syntropism-scenarios'` };
  assert.equal(filesLookingOutside((file) => texts[file]!, Object.keys(texts)), ['test/b.test.ts']);
});

/** The Node version the README's set-up section names, as a semver range (`Node.js ≥ 20.12` → `>=20.12`). */
function readmeNodeRange(readme: string): string {
  const named = /Node\.js ≥ (\d+(?:\.\d+){0,2})/.exec(readme);
  assert.ok(named, 'the README names the Node version it needs as "Node.js ≥ X"');
  return `>=${named[1]}`;
}

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

/** Every locked package whose `engines.node` the oldest Node of `range` does not satisfy, with what it asks. */
function engineMismatches(lock: { packages: Record<string, LockedPackage> }, range: string): string[] {
  const oldest = semver.minVersion(range);
  assert.ok(oldest, `${range} is a version range`);
  return Object.entries(lock.packages).flatMap(([path, locked]) => {
    const wanted = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
    return wanted === undefined || semver.satisfies(oldest, wanted) ? [] : [`${path}@${locked.version}: node ${wanted}`];
  });
}

test('every installed package supports the Node version the README and package.json name', () => {
  const range = readmeNodeRange(readFileSync(join(REPO, 'README.md'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.is(manifest.engines.node, range, 'package.json engines.node matches the README');
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  assert.equal(engineMismatches(lock, range), []);
});

test('the engine check notices a package that needs a newer Node', () => {
  const lock = { packages: { 'node_modules/openai': { version: '7.59.0', engines: { node: '>=22.0.0' } }, 'node_modules/ws': { version: '8.18.0', engines: { node: '>=10.0.0' } } } };
  assert.equal(engineMismatches(lock, '>=20.12'), ['node_modules/openai@7.59.0: node >=22.0.0']);
});

test('without the upstream files the tests that compare with them say they were skipped, and the rest pass', () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[UPSTREAM_SCENARIOS_VARIABLE];
  const result = spawnSync('npx', ['uvu', '-r', 'tsx', 'test', '^scenarios\\.test\\.ts$'], { cwd: REPO, encoding: 'utf8', env });
  assert.is(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, `skipped: the upstream scenario files are valid and match the project files (set ${UPSTREAM_SCENARIOS_VARIABLE} to`);
  const misnamed = spawnSync('npx', ['uvu', '-r', 'tsx', 'test', '^scenarios\\.test\\.ts$'], { cwd: REPO, encoding: 'utf8', env: { ...env, [UPSTREAM_SCENARIOS_VARIABLE]: join(REPO, 'no-such-folder') } });
  assert.is.not(misnamed.status, 0, 'a variable naming a missing folder fails rather than skips');
});

/** What the README's examples write into the repo's folder. */
const README_OUTPUTS = ['runs/cache/x.json', 'logs/20250101T120000Z.jsonl', 'traces/fc_001.jsonl', 'trace.jsonl', 'study.json', 'metrics.csv', 'sweep.csv', 'report.html', 'compare.html', 'study.html'];

const ignored = (file: string) => spawnSync('git', ['check-ignore', '-q', file], { cwd: REPO }).status === 0;

test("the README's outputs are git-ignored, the project's own files are not", () => {
  assert.equal(README_OUTPUTS.filter((file) => !ignored(file)), []);
  assert.equal(['scenarios/functional_competence/fc_001.json', 'harness/report/html/report.ts', 'docs/DESIGN.md'].filter(ignored), []);
});

const DESIGN = readFileSync(join(REPO, 'docs/DESIGN.md'), 'utf8');

/** The sections a text cites as `DESIGN.md section N` that docs/DESIGN.md does not have. */
function missingDesignSections(text: string, design: string): string[] {
  const sections = new Set([...design.matchAll(/^## (\d+)\. /gm)].map((heading) => heading[1]));
  return [...text.matchAll(/DESIGN\.md\)? section (\d+)/g)].map((cited) => cited[1]!).filter((section) => !sections.has(section));
}

test('every "DESIGN.md section N" the code and README cite is a section of docs/DESIGN.md', () => {
  const cited = trackedFiles().filter((file) => /\.(ts|md|mjs|cjs)$/.test(file) && file !== 'docs/DESIGN.md');
  const missing = cited.flatMap((file) => missingDesignSections(readFileSync(join(REPO, file), 'utf8'), DESIGN).map((section) => `${file}: section ${section}`));
  assert.equal(missing, []);
  assert.equal(missingDesignSections(['see DESIGN.md section 3 and DESIGN.md', 'section 12'].join(' '), DESIGN), ['12']);
});

test('the catalogue in docs/DESIGN.md lists every event type with the source the codecs give it', () => {
  const listed = new Map([...DESIGN.matchAll(/^\| `([a-z_]+)` \| (system|agent|judge) \|/gm)].map((row) => [row[1], row[2]]));
  assert.equal(new Map(Object.entries(EVENT_SOURCES)), listed);
});

test.run();
