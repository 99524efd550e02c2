import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MCP_LOOP_TOOLS } from '../harness/agents/mcp-brain';
import { modelToolsFor } from '../harness/agents/openai-brain';
import { functionNameOf } from '../harness/agents/tool-surface';

/**
 * Agents of any language under test from the command line a user types: example agents pass, broken
 * ones fail within the deadline with their reason, no agent process outlives its run, and every kind
 * of agent is offered the same tools.
 */

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function run(args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'harness/run.ts', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const tableRow = (stdout: string, id: string) => stdout.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';

function processesRunning(pattern: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (command.includes(pattern) && !command.includes('agents-cli.test')) found.push(command);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

test('the Python and Node example agents pass fc_001 and fc_003 through --agent exec:', async () => {
  for (const command of ['python3 examples/agents/agent.py', 'node examples/agents/agent.mjs']) {
    const outcome = await run(['--agent', `exec:${command}`, '--scenario', 'fc_001', '--scenario', 'fc_003']);
    assert.is(outcome.code, 0, `${command}: ${outcome.stdout}${outcome.stderr}`);
    assert.match(tableRow(outcome.stdout, 'fc_001'), /PASS/);
    assert.match(tableRow(outcome.stdout, 'fc_003'), /PASS/);
  }
});

test('the MCP example agent passes fc_001 through --agent mcp:', async () => {
  const outcome = await run(['--agent', 'mcp:node examples/agents/mcp-agent.mjs', '--scenario', 'fc_001']);
  assert.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  assert.match(tableRow(outcome.stdout, 'fc_001'), /PASS/);
});

test('garbage, silence and a missing program fail within the deadline, with their reasons; no agent is left running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agents-cli-'));
  try {
    const garbage = join(dir, 'garbage-agent.py');
    const silent = join(dir, 'silent-agent.py');
    writeFileSync(garbage, 'import sys\nfor line in sys.stdin:\n    print("garbage!", flush=True)\n');
    writeFileSync(silent, 'import sys, time\nsys.stderr.write("still thinking\\n")\nsys.stderr.flush()\ntime.sleep(300)\n');
    const cases: [string, RegExp][] = [
      [`exec:python3 ${garbage}`, /cycle 1 bidding turn: the agent wrote a line that is not JSON: "garbage!"/],
      [`exec:python3 ${silent}`, /cycle 1 bidding turn: brain_timeout: waited 2 s for the agent process's answer; the agent's stderr ends: still thinking/],
      [`exec:${join(dir, 'no-such-agent')}`, /cycle 1 bidding turn: brain_failed: cannot start .*ENOENT/],
      [`mcp:python3 ${silent}`, /cycle 1 bidding turn: brain_timeout/],
    ];
    for (const [agent, reason] of cases) {
      const traces = join(dir, 'traces');
      const outcome = await run(['--agent', agent, '--scenario', 'fc_001', '--turn-timeout', '2', '--format', 'json', '--trace-dir', traces]);
      assert.is(outcome.code, 1, `${agent}: ${outcome.stderr}`);
      const report = JSON.parse(outcome.stdout) as { results: { checks: { name: string; detail: string }[] }[] };
      const faults = (report.results[0]?.checks ?? []).filter((check) => check.name === 'agent').map((check) => check.detail);
      assert.ok(faults.some((detail) => reason.test(detail)), `${agent}: ${JSON.stringify(faults)}`);
      // Not a speed check: far below the default 300 s turn deadline, so it fails only if --turn-timeout 2 was not honoured.
      assert.ok(outcome.ms < 120_000, `${agent} took ${outcome.ms} ms`);
      assert.equal(processesRunning(dir), [], `${agent} left a process running`);
    }
    assert.match(readFileSync(join(dir, 'traces', 'fc_001.stderr.log'), 'utf8'), /still thinking/, 'the stderr is kept beside the trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a command line that cannot be split is bad input', async () => {
  const outcome = await run(['--agent', "exec:python3 'unclosed", '--scenario', 'fc_001']);
  assert.is(outcome.code, 2);
  assert.match(outcome.stderr, /--agent exec: .*unclosed/);
  const model = await run(['--agent', 'exec:python3 agent.py', '--temperature', '0.5', '--scenario', 'fc_001']);
  assert.is(model.code, 2);
  assert.match(model.stderr, /--temperature applies to a model/);
});

test('a model, an exec agent and an MCP agent are offered the same tools, schemas and phases', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tool-lists-'));
  try {
    const lister = 'node test/fixtures/agents/tool-lister.mjs';
    const execOut = join(dir, 'exec.json');
    const mcpOut = join(dir, 'mcp.json');
    await run(['--agent', `exec:${lister}`, '--scenario', 'fc_001'], { SYNTROPISM_TOOLS_OUT: execOut });
    await run(['--agent', `mcp:${lister} mcp`, '--scenario', 'fc_001'], { SYNTROPISM_TOOLS_OUT: mcpOut });
    assert.ok(existsSync(execOut) && existsSync(mcpOut), 'an agent did not write its tools');
    const execTools = JSON.parse(readFileSync(execOut, 'utf8')) as { name: string; parameters: unknown; phases: string[] }[];
    const mcpTools = JSON.parse(readFileSync(mcpOut, 'utf8')) as { name: string; inputSchema: unknown }[];
    const phasesOfModel = new Map<string, string[]>();
    const modelSchemas = new Map<string, unknown>();
    for (const phase of ['bidding', 'executing'] as const) {
      for (const tool of modelToolsFor(phase)) {
        if (tool.type !== 'function') continue;
        const fn = tool.function;
        phasesOfModel.set(fn.name, [...(phasesOfModel.get(fn.name) ?? []), phase]);
        modelSchemas.set(fn.name, fn.parameters);
      }
    }
    const byName = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    const fromExec = execTools.map((tool) => [functionNameOf(tool.name), tool.parameters, tool.phases]).sort(byName);
    const fromModel = [...modelSchemas].map(([name, schema]) => [name, schema, phasesOfModel.get(name)]).sort(byName);
    const fromMcp = mcpTools.filter((tool) => !MCP_LOOP_TOOLS.some((loopTool) => loopTool.name === tool.name)).map((tool) => [tool.name, tool.inputSchema]).sort(byName);
    assert.ok(fromExec.length > 10);
    assert.equal(fromExec, fromModel);
    assert.equal(fromMcp, fromExec.map(([name, schema]) => [name, schema]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
