import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenAiServer } from './fixtures/openai-server';

/** `run.ts --resume LOG --html F` on a finished model run re-renders it: it calls no model, so it needs no endpoint. */

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Ended {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** run.ts in a child with `env` as its whole agent configuration (spawned, not spawnSync: the model server runs here). */
function runTs(args: readonly string[], env: Record<string, string>): Promise<Ended> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AGENT_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'harness/run.ts', ...args], { cwd: REPO, env: { ...inherited, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

test('a finished model run re-renders without AGENT_BASE_URL; a log still lacking a sample asks for it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'resume-'));
  const server = await startOpenAiServer([{ kind: 'tools', calls: [{ name: 'end_turn', arguments: {} }] }]);
  try {
    const first = await runTs(['--agent', 'openai:test-model', '--scenario', 'fc_001', '--epochs', '2', '--format', 'json', '--log-dir', dir], {
      AGENT_BASE_URL: server.baseURL,
      AGENT_API_KEY: 'sk-test',
    });
    assert.ok(first.status === 0 || first.status === 1, first.stderr);
    const log = resolve(REPO, /^log: (.+)$/m.exec(first.stderr)![1]!);
    const calls = server.requests.length;
    const html = join(dir, 'report.html');
    const again = await runTs(['--resume', log, '--format', 'json', '--html', html], {});
    assert.is(again.status, first.status, again.stderr);
    assert.is(again.stdout, first.stdout);
    assert.match(readFileSync(html, 'utf8'), /fc_001/);
    assert.is(server.requests.length, calls, 'no model was called');

    // The log as a run killed before its last sample left it.
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    const samples = lines.filter((line) => line.includes('"kind":"sample"'));
    assert.is(samples.length, 2);
    writeFileSync(log, `${lines.filter((line) => line !== samples[1] && !line.includes('"kind":"summary"')).join('\n')}\n`);
    const unfinished = await runTs(['--resume', log, '--format', 'json'], {});
    assert.is(unfinished.status, 2);
    assert.match(unfinished.stderr, /AGENT_BASE_URL/);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
