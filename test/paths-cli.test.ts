import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRight } from 'fp-ts/lib/Either.js';
import { decodeWith } from '../domain/codec/decode';
import { Script } from '../harness/scenarios/scripts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function paths(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'harness/paths.ts', ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--json reports every transition of every machine covered', () => {
  const { status, stdout } = paths('--json');
  assert.is(status, 0);
  const { machines } = JSON.parse(stdout) as { machines: { id: string; states: number; transitions: number; covered_transitions: number }[] };
  assert.equal(machines.map(({ id }) => id), ['agent', 'scheduler', 'orchestrator']);
  for (const machine of machines) {
    assert.equal(Object.keys(machine), ['id', 'states', 'transitions', 'covered_transitions']);
    assert.ok(machine.states > 0 && machine.transitions > 0, machine.id);
    assert.is(machine.covered_transitions, machine.transitions, machine.id);
  }
});

test('without --json, one line per machine', () => {
  const { status, stdout } = paths();
  assert.is(status, 0);
  assert.match(stdout, /^agent: 13 states, 37 transitions, 37 covered by \d+ generated paths$/m);
  assert.match(stdout, /^orchestrator: 10 states, 16 transitions, 16 covered by \d+ generated paths$/m);
  assert.match(stdout, /^scheduler: 1 state, 7 transitions, 7 covered by \d+ generated paths$/m, 'one state is "1 state"');
  assert.not.match(stdout, /not covered/);
});

test('--skeletons writes the agent paths as scripts a user fills in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skeletons-'));
  try {
    const { status, stdout } = paths('--skeletons', join(dir, 'agent'));
    assert.is(status, 0);
    const files = readdirSync(join(dir, 'agent'));
    const agentPaths = Number(/^agent: .* covered by (\d+) generated paths$/m.exec(stdout)?.[1]);
    const idle = agentPaths - files.length;
    assert.ok(idle > 0, 'some agent paths take no turn');
    assert.match(
      stdout,
      `\nwrote ${files.length} script skeletons to ${join(dir, 'agent')}, one for each generated agent path that takes a turn (${idle} paths of the ${agentPaths} take no turn, so have nothing to script)\n`,
    );
    assert.ok(files.length > 0);
    for (const file of files) {
      const skeleton: unknown = JSON.parse(readFileSync(join(dir, 'agent', file), 'utf8'));
      assert.ok(isRight(decodeWith(Script, skeleton)), `${file} is a script`);
    }
    const toolCall = files
      .map((file) => JSON.parse(readFileSync(join(dir, 'agent', file), 'utf8')) as Script)
      .find((script) => script.turns.some((turn) => turn.actions.some((action) => action.kind === 'tool')));
    assert.ok(toolCall !== undefined, 'a skeleton calls a tool');
    assert.is(toolCall.scenario_id, 'FILL-IN-scenario-id');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a flag it does not know: a one-line message and exit 2', () => {
  const { status, stderr } = paths('--bogus');
  assert.is(status, 2);
  assert.is(stderr, "Unknown option '--bogus' (see --help)\n");
});

test.run();
