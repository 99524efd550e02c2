import { errorMessage } from '../../../domain/codec/error-message';
import { comparePage } from './compare';
import { dataSource, type DataSource } from './data-source';
import { h } from './dom';
import { runPage, type RunPage } from './run';
import { runsView } from './runs';
import { samplePage } from './sample';

/**
 * The viewer's page: routes by the address's hash (`#/`, `#/run/ID`, `#/run/ID/sample/N`,
 * `#/compare/ID,ID`), renders the view from its data source, and, when the source is live, polls it
 * so that a running run's pages update. The document records that it rendered
 * (`data-viewer-ready`) and any error or blocked load (`data-viewer-error`), for tests and for a reader.
 */

const POLL_MS = 1000;

type Route =
  | { readonly page: 'runs' }
  | { readonly page: 'run'; readonly id: string }
  | { readonly page: 'sample'; readonly id: string; readonly index: number }
  | { readonly page: 'compare'; readonly ids: readonly string[] };

function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'run' && parts[1] !== undefined && parts[2] === 'sample' && parts[3] !== undefined) return { page: 'sample', id: parts[1], index: Number(parts[3]) };
  if (parts[0] === 'run' && parts[1] !== undefined) return { page: 'run', id: parts[1] };
  if (parts[0] === 'compare' && parts[1] !== undefined) return { page: 'compare', ids: parts[1].split(',') };
  return { page: 'runs' };
}

const root = document.getElementById('app')!;
const source: DataSource = dataSource();
let generation = 0;
let poll: ReturnType<typeof setTimeout> | undefined;

function reportError(message: string): void {
  document.documentElement.dataset.viewerError = message;
}

document.addEventListener('securitypolicyviolation', (event) => reportError(`blocked ${event.blockedURI}`));
window.addEventListener('error', (event) => reportError(event.message));

function rendered(name: string): void {
  const html = document.documentElement;
  html.dataset.viewerReady = name;
  html.dataset.viewerRenders = String(Number(html.dataset.viewerRenders ?? '0') + 1);
}

/** Polls `load` while the page shows the same route, handing each change to `apply`. */
function watch<T>(mine: number, first: T, load: () => Promise<T>, apply: (data: T) => void, until: (data: T) => boolean): void {
  if (!source.live) return;
  let last = JSON.stringify(first);
  let current = first;
  const tick = async () => {
    if (mine !== generation || until(current)) return;
    try {
      const next = await load();
      const text = JSON.stringify(next);
      if (mine !== generation) return;
      if (text !== last) {
        last = text;
        current = next;
        apply(next);
      }
    } catch (error) {
      reportError(String(error));
    }
    poll = setTimeout(tick, POLL_MS);
  };
  poll = setTimeout(tick, POLL_MS);
}

async function show(): Promise<void> {
  const mine = ++generation;
  if (poll !== undefined) clearTimeout(poll);
  const route = routeOf(location.hash === '' ? source.start : location.hash);
  try {
    if (route.page === 'runs') {
      const list = await source.runs();
      if (mine !== generation) return;
      root.replaceChildren(runsView(list, source.live));
      rendered('runs');
      watch(mine, list, () => source.runs(), (next) => (root.replaceChildren(runsView(next, source.live)), rendered('runs')), () => false);
    } else if (route.page === 'run') {
      const view = await source.run(route.id);
      if (mine !== generation) return;
      const page: RunPage = runPage(view);
      root.replaceChildren(page.element);
      rendered('run');
      watch(mine, view, () => source.run(route.id), (next) => (page.update(next), rendered('run')), (current) => current.entry.status !== 'running');
    } else if (route.page === 'sample') {
      const [view, machines] = await Promise.all([source.sample(route.id, route.index), source.machines()]);
      if (mine !== generation) return;
      root.replaceChildren(samplePage(view, machines));
      window.scrollTo(0, 0);
      rendered('sample');
    } else {
      const view = await source.compare(route.ids);
      if (mine !== generation) return;
      root.replaceChildren(comparePage(view));
      rendered('compare');
    }
  } catch (error) {
    root.replaceChildren(h('p', { class: 'problem' }, errorMessage(error)), h('p', null, h('a', { href: '#/' }, 'Back to the runs')));
    reportError(errorMessage(error));
    rendered('error');
  }
}

window.addEventListener('hashchange', () => void show());
void show();
