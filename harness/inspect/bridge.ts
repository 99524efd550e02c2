import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * The local bridge between a run and the Stately inspector in a browser: a WebSocket relay, where the
 * run's WebSocket inspector sends its events and every other client receives them, and a page that
 * embeds the inspector and feeds it those events. `@statelyai/inspect/server` has such a bridge, but it
 * listens on every interface, cannot report that its port is taken, and replays only its last 200
 * events to a page opened late, which then misses the actors registered first; this one listens on
 * 127.0.0.1 only and replays the whole run.
 */

export const DEFAULT_BRIDGE_HOST = '127.0.0.1';
export const DEFAULT_BRIDGE_PORT = 8080;
export const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';

export interface BridgeOptions {
  readonly host?: string;
  /** 0 lets the system choose a free port. */
  readonly port?: number;
  /** The inspector the page embeds. */
  readonly inspectorUrl?: string;
}

export interface InspectorBridge {
  /** The page to open in a browser. */
  readonly pageUrl: string;
  /** Where inspectors send their events and receivers listen. */
  readonly socketUrl: string;
  /** Resolves once the bridge has received `count` events in all; rejects if it closes first. */
  received(count: number): Promise<void>;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/**
 * The inspector announces `@statelyai.connected` once it listens; events arriving before are held until then.
 * The inspector is Stately's page, fetched from the network: when it has not announced itself after a while
 * (or the browser knows it is offline), the page says so, with the events it holds, instead of staying blank.
 */
const INSPECTOR_PATIENCE_MS = 8000;

function bridgePage(socketUrl: string, inspectorUrl: string): string {
  return `<!DOCTYPE html>
<html>
<head>
  <title>Syntropism run: Stately inspector</title>
  <style>* { margin: 0; padding: 0; } html, body { height: 100%; } iframe { width: 100%; height: 100%; border: none; }
  #offline { display: none; font: 15px/1.5 system-ui, sans-serif; padding: 16px 24px; background: #fff8c5; border-bottom: 1px solid #d4a72c; }</style>
</head>
<body>
  <div id="offline" role="alert"><b>The Stately inspector has not loaded.</b> It is Stately's page, ${inspectorUrl}, and needs the
  network; this page holds the run's <span id="held">0</span> inspection events until it loads. The run itself needs no network:
  to see it offline, open its log with <code>npx tsx harness/view.ts</code>.</div>
  <iframe id="inspector" src="${inspectorUrl}"></iframe>
  <script>
    const inspector = document.getElementById('inspector');
    const offline = document.getElementById('offline');
    const held = [];
    let connected = false;
    const notLoaded = () => { if (!connected) offline.style.display = 'block'; };
    if (navigator.onLine === false) notLoaded();
    setTimeout(notLoaded, ${INSPECTOR_PATIENCE_MS});
    window.addEventListener('message', (message) => {
      if (message.data && message.data.type === '@statelyai.connected') {
        connected = true;
        offline.style.display = 'none';
        held.splice(0).forEach((event) => inspector.contentWindow.postMessage(event, '*'));
      }
    });
    new WebSocket('${socketUrl}').onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (connected) inspector.contentWindow.postMessage(event, '*');
      else {
        held.push(event);
        document.getElementById('held').textContent = String(held.length);
      }
    };
  </script>
</body>
</html>`;
}

function listen(server: Server, host: string, port: number): Promise<Either<string, number>> {
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      resolve(left(`cannot start the inspector bridge on ${host}:${port}: ${reason}`));
    });
    server.listen(port, host, () => resolve(right((server.address() as AddressInfo).port)));
  });
}

interface Waiter {
  readonly count: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Starts the bridge; a Left says why it could not listen. Opens no browser. */
export async function startInspectorBridge(options: BridgeOptions = {}): Promise<Either<string, InspectorBridge>> {
  const host = options.host ?? DEFAULT_BRIDGE_HOST;
  const inspectorUrl = options.inspectorUrl ?? STATELY_INSPECTOR_URL;
  let page = '';
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  const listening = await listen(server, host, options.port ?? DEFAULT_BRIDGE_PORT);
  if (isLeft(listening)) return listening;
  const address = `${host}:${listening.right}`;
  const socketUrl = `ws://${address}`;
  page = bridgePage(socketUrl, inspectorUrl);

  const history: string[] = [];
  let waiters: Waiter[] = [];
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    for (const message of history) socket.send(message);
    socket.on('message', (data) => {
      const message = data.toString('utf8');
      history.push(message);
      for (const client of sockets.clients) {
        if (client !== socket && client.readyState === WebSocket.OPEN) client.send(message);
      }
      const due = waiters.filter(({ count }) => history.length >= count);
      waiters = waiters.filter(({ count }) => history.length < count);
      for (const waiter of due) waiter.resolve();
    });
  });

  return right({
    pageUrl: `http://${address}`,
    socketUrl,
    received: (count) =>
      history.length >= count ? Promise.resolve() : new Promise((resolve, reject) => void waiters.push({ count, resolve, reject })),
    close: () =>
      new Promise((resolve) => {
        for (const waiter of waiters.splice(0)) {
          waiter.reject(new Error(`the inspector bridge closed after ${history.length} of ${waiter.count} events`));
        }
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
