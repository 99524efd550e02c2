import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * An MCP server for one agent: the tools it is given, with their JSON Schemas exactly as given
 * (the low-level server, so no schema passes through zod), over Streamable HTTP on 127.0.0.1 at a
 * free port. Every tool answers JSON, as text and as structured content.
 *
 * The server is stateless (the SDK's stateless Streamable HTTP mode): every POST gets a fresh
 * protocol server and transport, closed with its response. The agent's state is its turn, kept by
 * the caller of `startMcpToolServer`, never a session's, so any number of clients, connecting once or
 * for every call, reconnecting after a drop or running beside a debugger such as the MCP Inspector,
 * may call any tool. A request whose connection drops is aborted (its handler's signal).
 */

export interface ServedTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/** A tool's answer: its JSON, or an error with the reason (and any JSON that explains it). */
export type ToolAnswer = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly reason: string; readonly value?: Record<string, unknown> };

/** Answers one call; `signal` aborts when the caller is gone (its connection dropped, the request was cancelled). */
export type ToolCallHandler = (tool: string, args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolAnswer>;

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

/** A JSON-RPC error with no request to answer, as the SDK's examples send for what a stateless server does not serve. */
function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export async function startMcpToolServer(name: string, tools: readonly ServedTool[], call: ToolCallHandler): Promise<McpToolServer> {
  const listed = tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: { type: 'object' as const, ...tool.inputSchema } }));
  const known = new Set(tools.map((tool) => tool.name));
  const protocolServer = (): Server => {
    const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const { name: tool, arguments: args = {} } = request.params;
      if (!known.has(tool)) return asResult({ ok: false, reason: `unknown tool ${JSON.stringify(tool)}`, value: { known: [...known] } });
      return asResult(await call(tool, args, extra.signal));
    });
    return server;
  };
  /** Requests being answered, so that closing the server ends them. */
  const open = new Set<{ server: Server; transport: StreamableHTTPServerTransport }>();

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const exchange = { server: protocolServer(), transport: new StreamableHTTPServerTransport({ sessionIdGenerator: undefined }) };
    open.add(exchange);
    response.on('close', () => {
      open.delete(exchange);
      // Closing the transport aborts the handlers still running for this request.
      void exchange.transport.close().then(() => exchange.server.close());
    });
    await exchange.server.connect(exchange.transport);
    await exchange.transport.handleRequest(request, response);
  };

  const http: HttpServer = createServer((request, response) => {
    if (request.url !== MCP_PATH) {
      response.writeHead(404).end();
      return;
    }
    // Stateless: no standalone stream to open (GET), no session to end (DELETE).
    if (request.method !== 'POST') {
      refuse(response, 405, 'Method not allowed: this server is stateless; send every request as a POST');
      return;
    }
    serve(request, response).catch(() => {
      if (!response.headersSent) refuse(response, 500, 'Internal server error');
      else response.end();
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
      await Promise.all([...open].map(({ transport, server }) => transport.close().then(() => server.close())));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
