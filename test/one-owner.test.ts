import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One owner for what the layers share: the message of a thrown value (domain/codec/error-message.ts), reading a
 * JSON file (harness/files/json-file.ts) and a machine's states and transitions
 * (machines/machine-graph.ts). A second copy is found by what it has to write.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

const SOURCES = ['domain', 'machines', 'harness'].flatMap(sourcesUnder).map((file) => ({ file: relative(REPO, join(REPO, file)), text: readFileSync(join(REPO, file), 'utf8') }));

interface Source {
  readonly file: string;
  readonly text: string;
}

const COPIES = {
  errorMessage: {
    owner: 'domain/codec/error-message.ts',
    writes: (text: string) => /(\w+) instanceof Error \? \1\.message : String\(\1\)/.test(text),
  },
  readJsonFile: {
    owner: 'harness/files/json-file.ts',
    writes: (text: string) => /JSON\.parse\(/.test(text) && /\breadFileSync\b/.test(text),
  },
  machineTransition: {
    owner: 'machines/machine-graph.ts',
    writes: (text: string) => /interface MachineTransition\b|type MachineTransition\s*=/.test(text),
  },
} as const;

function copiesOf(concept: keyof typeof COPIES, sources: readonly Source[]): string[] {
  const { owner, writes } = COPIES[concept];
  return sources.filter(({ file, text }) => file !== owner && writes(text)).map(({ file }) => file);
}

for (const concept of Object.keys(COPIES) as (keyof typeof COPIES)[]) {
  test(`${concept} is written once, in ${COPIES[concept].owner}`, () => {
    assert.ok(SOURCES.some(({ file, text }) => file === COPIES[concept].owner && COPIES[concept].writes(text)), 'the owner holds it');
    assert.equal(copiesOf(concept, SOURCES), []);
  });
}

test('a copy is noticed', () => {
  const copy = (text: string): Source[] => [{ file: 'harness/agents/x.ts', text }];
  assert.equal(copiesOf('errorMessage', copy('return e instanceof Error ? e.message : String(e);')), ['harness/agents/x.ts']);
  assert.equal(copiesOf('readJsonFile', copy("JSON.parse(readFileSync(file, 'utf8'))")), ['harness/agents/x.ts']);
  assert.equal(copiesOf('machineTransition', copy('export interface MachineTransition {')), ['harness/agents/x.ts']);
  assert.equal(copiesOf('readJsonFile', copy('JSON.parse(line)')), []);
});

test.run();
