import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The architecture check of `npm test` (.dependency-cruiser.cjs) fails on each rule it states. */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEPCRUISE = join(REPO, 'node_modules', '.bin', 'depcruise');

/** Runs the project's check over a tiny project made of `files` (path → source). */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'architecture-'));
  try {
    cpSync(join(REPO, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }));
    for (const [path, source] of Object.entries({ 'domain/keep.ts': 'export const kept = 1;\n', ...files })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    const result = spawnSync(DEPCRUISE, ['domain', 'machines', 'harness', '--config', '.dependency-cruiser.cjs'], { cwd: root, encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const LAYERED = {
  'domain/rules.ts': "import { kept } from './keep';\nexport const rule = kept;\n",
  'machines/machine.ts': "import { rule } from '../domain/rules';\nexport const machine = rule;\n",
  'harness/validate/check.ts': "import { machine } from '../../machines/machine';\nexport const check = machine;\n",
  'harness/validate/index.ts': "export { check } from './check';\n",
  'harness/run.ts': "import { check } from './validate';\nconsole.log(check);\n",
};

test('imports that flow domain ← machines ← harness pass', () => {
  const { status, output } = cruise(LAYERED);
  assert.is(status, 0, output);
});

const BROKEN: Record<string, [string, Record<string, string>]> = {
  'no-circular': ['a circle of imports', { 'harness/validate/a.ts': "import { b } from './b';\nexport const a = 1;\n", 'harness/validate/b.ts': "import { a } from './a';\nexport const b = a;\n" }],
  'domain-is-pure': ['domain importing machines', { 'domain/rules.ts': "import { machine } from '../machines/machine';\nexport const rule = 1;\n" }],
  'machines-import-only-domain': ['machines importing harness', { 'machines/machine.ts': "import { check } from '../harness/validate/check';\nexport const machine = 1;\n" }],
  'no-import-of-an-entry-point': ['a module importing a command', { 'harness/report/page.ts': "import '../run';\nexport const page = 1;\n" }],
  'loading-does-not-load-the-checkers': ['the constructor importing a checker', { 'harness/scenarios/load.ts': "import { check } from '../validate/check';\nexport const load = check;\n" }],
  'a-folder-is-reached-through-its-face': ['a folder reaching past another folder\'s index.ts', { 'harness/report/verdicts.ts': "import { check } from '../validate/check';\nexport const verdicts = check;\n" }],
  'machines-run-the-economy-not-the-benchmark': [
    'a machine importing the benchmark part of the domain',
    { 'domain/benchmark/scenario.ts': 'export const scenario = 1;\n', 'machines/scenario-reader.ts': "import { scenario } from '../domain/benchmark/scenario';\nexport const reader = scenario;\n" },
  ],
};

// One run with every violation (a cruise takes seconds): each rule must report its own.
test('each broken rule fails the check and is named', () => {
  const broken = Object.values(BROKEN).reduce((all, [, files]) => ({ ...all, ...files }), {});
  const { status, output } = cruise({ ...LAYERED, ...broken });
  assert.is.not(status, 0, output);
  for (const [rule, [what]] of Object.entries(BROKEN)) assert.ok(output.includes(`error ${rule}:`), `${what}: no ${rule} error in\n${output}`);
});

test.run();
