import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpToolServer, type ToolCallHandler } from '../harness/agents/mcp-server';

/**
 * The MCP tool server serves any number of clients at once (the SDK's stateless Streamable HTTP mode):
 * a second connection is not refused as "already initialized", and a call whose connection drops is
 * aborted on the server's side, so that it holds nothing (a turn) for a client that is gone.
 */

const TOOLS = [
  { name: 'echo', description: 'Answers its arguments.', inputSchema: { type: 'object', properties: {} } },
  { name: 'block', description: 'Answers when its caller gives up.', inputSchema: { type: 'object', properties: {} } },
];

async function connected(url: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

test('several clients connect and call tools, side by side and one after another', async () => {
  const handler: ToolCallHandler = (tool, args) => Promise.resolve({ ok: true, value: { tool, ...args } });
  const server = await startMcpToolServer('test', TOOLS, handler);
  try {
    const first = await connected(server.url);
    const second = await connected(server.url);
    assert.equal((await second.listTools()).tools.map((tool) => tool.name), ['echo', 'block']);
    assert.equal((await first.callTool({ name: 'echo', arguments: { n: 1 } })).structuredContent, { tool: 'echo', n: 1 });
    assert.equal((await second.callTool({ name: 'echo', arguments: { n: 2 } })).structuredContent, { tool: 'echo', n: 2 });
    await first.close();
    const third = await connected(server.url);
    assert.equal((await third.callTool({ name: 'echo', arguments: { n: 3 } })).structuredContent, { tool: 'echo', n: 3 });
    const unknown = await third.callTool({ name: 'nothing', arguments: {} });
    assert.ok(unknown.isError);
    await Promise.all([second.close(), third.close()]);
  } finally {
    await server.close();
  }
});

test('a call whose connection drops is aborted on the server; the server goes on serving', async () => {
  let aborted: () => void = () => undefined;
  const abortedOnServer = new Promise<void>((resolve) => (aborted = resolve));
  const handler: ToolCallHandler = (tool, args, signal) =>
    tool === 'block'
      ? new Promise((resolve) => signal.addEventListener('abort', () => (aborted(), resolve({ ok: false, reason: 'gone' }))))
      : Promise.resolve({ ok: true, value: { tool, ...args } });
  const server = await startMcpToolServer('test', TOOLS, handler);
  try {
    const drop = new AbortController();
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'block', arguments: {} } };
    const blocked = fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(call),
      signal: drop.signal,
    }).then((response) => response.text());
    setTimeout(() => drop.abort(), 100);
    await blocked.then(
      () => assert.unreachable('the call was answered'),
      () => undefined,
    );
    await abortedOnServer;
    const client = await connected(server.url);
    assert.equal((await client.callTool({ name: 'echo', arguments: { after: true } })).structuredContent, { tool: 'echo', after: true });
    await client.close();
  } finally {
    await server.close();
  }
});

test('a stateless server opens no stream and ends no session: GET and DELETE are 405', async () => {
  const server = await startMcpToolServer('test', TOOLS, () => Promise.resolve({ ok: true, value: {} }));
  try {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(server.url, { method, headers: { accept: 'text/event-stream' } });
      assert.is(response.status, 405, method);
      assert.match(await response.text(), 'stateless');
    }
  } finally {
    await server.close();
  }
});

test.run();
