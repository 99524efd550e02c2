import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * An MCP server for one agent: the tools it is given, with their JSON Schemas exactly as given
 * (the low-level server, so no schema passes through zod), over Streamable HTTP on 127.0.0.1 at a
 * free port, with one session. Every tool answers JSON, as text and as structured content.
 */

export interface ServedTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** A tool's answer: its JSON, or an error with the reason (and any JSON that explains it). */
export type ToolAnswer = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly reason: string; readonly value?: Record<string, unknown> };

export interface McpToolServer {
  /** The endpoint an MCP client connects to. */
  readonly url: string;
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';

function asResult(answer: ToolAnswer): CallToolResult {
  const value = answer.ok ? answer.value : { error: answer.reason, ...answer.value };
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value, isError: !answer.ok };
}

export async function startMcpToolServer(
  name: string,
  tools: readonly ServedTool[],
  call: (tool: string, args: Record<string, unknown>) => Promise<ToolAnswer>,
): Promise<McpToolServer> {
  const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: { type: 'object' as const, ...tool.inputSchema } })),
  }));
  const known = new Set(tools.map((tool) => tool.name));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name: tool, arguments: args = {} } = request.params;
    if (!known.has(tool)) return asResult({ ok: false, reason: `unknown tool ${JSON.stringify(tool)}`, value: { known: [...known] } });
    return asResult(await call(tool, args));
  });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await server.connect(transport);

  const http: HttpServer = createServer((request, response) => {
    if (request.url !== MCP_PATH) {
      response.writeHead(404).end();
      return;
    }
    transport.handleRequest(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', resolve);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    async close() {
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
