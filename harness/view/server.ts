import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLeft } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import { compareViewOf, runViewOf, sampleViewOf, type LogSource } from './log-views';
import { machineDiagrams } from './machines';
import { pageAssets } from './page-bundle';
import { viewerHtml } from './viewer-html';

/**
 * The viewer's server, on 127.0.0.1 only: the page at `/`, and the views of the logs as JSON under
 * `/api/`, read afresh (where a log changed) on every request, so that the page sees a run as it is
 * written. It serves nothing else and takes no input but these addresses.
 */

export interface Viewer {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

async function answer(source: LogSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
  const now = Date.now();
  if (req.method !== 'GET') return json(res, 405, { error: `${req.method}: the viewer only reads` });
  if (parts.length === 0) return send(res, 200, 'text/html; charset=utf-8', viewerHtml(await pageAssets(), 'Syntropism runs'));
  if (parts[0] !== 'api') return json(res, 404, { error: `${url.pathname}: no such page` });
  const [, what, id, sub, index] = parts;
  if (what === 'runs' && id === undefined) {
    const { logs, problems } = source.all(now);
    return json(res, 200, { runs: logs.map((run) => run.entry), problems });
  }
  if (what === 'runs' && id !== undefined) {
    const run = source.find(id, now);
    if (run === undefined) return json(res, 404, { error: `no run ${id} in ${source.path}` });
    if (sub === undefined) return json(res, 200, runViewOf(run.log, run.entry));
    if (sub === 'samples' && index !== undefined && /^\d+$/.test(index)) {
      const sample = sampleViewOf(run, Number(index));
      return isLeft(sample) ? json(res, 404, { error: sample.left }) : json(res, 200, sample.right);
    }
  }
  if (what === 'machines') return json(res, 200, await machineDiagrams());
  if (what === 'compare') {
    const ids = (url.searchParams.get('runs') ?? '').split(',').filter((each) => each !== '');
    const runs = ids.map((each) => source.find(each, now));
    const missing = ids.find((_, at) => runs[at] === undefined);
    if (ids.length < 2 || missing !== undefined) return json(res, 404, { error: missing === undefined ? 'compare needs two or more runs' : `no run ${missing} in ${source.path}` });
    const found = runs.flatMap((run) => (run === undefined ? [] : [run]));
    const compared = compareViewOf(found.map((run) => run.log), found.map((run) => run.entry));
    return isLeft(compared) ? json(res, 400, { error: compared.left }) : json(res, 200, compared.right);
  }
  return json(res, 404, { error: `${url.pathname}: no such view` });
}

export async function startViewer(source: LogSource, port: number): Promise<Viewer> {
  const server = createServer((req, res) => {
    answer(source, req, res).catch((error: unknown) => json(res, 500, { error: errorMessage(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
