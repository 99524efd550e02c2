import type { StateDiagram } from '../state-diagram';
import { sampleKeyOf, type CompareView, type RunEntry, type RunView, type SampleView, type StaticData } from '../viewer-data';

/**
 * Where the page gets what it shows: from the viewer's server, which reads the logs as they are
 * written (`live`: the page polls it), or from the data a static export carries inline.
 */

export interface RunList {
  readonly runs: readonly RunEntry[];
  readonly problems: readonly string[];
}

export interface DataSource {
  readonly live: boolean;
  readonly start: string;
  runs(): Promise<RunList>;
  run(id: string): Promise<RunView>;
  sample(id: string, index: number): Promise<SampleView>;
  machines(): Promise<readonly StateDiagram[]>;
  compare(ids: readonly string[]): Promise<CompareView>;
}

async function fetched<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: 'no-store' });
  const body = (await response.json()) as T | { error: string };
  if (!response.ok) throw new Error((body as { error: string }).error ?? `${path}: HTTP ${response.status}`);
  return body as T;
}

function served(): DataSource {
  return {
    live: true,
    start: '#/',
    runs: () => fetched('/api/runs'),
    run: (id) => fetched(`/api/runs/${encodeURIComponent(id)}`),
    sample: (id, index) => fetched(`/api/runs/${encodeURIComponent(id)}/samples/${index}`),
    machines: () => fetched('/api/machines'),
    compare: (ids) => fetched(`/api/compare?runs=${ids.map(encodeURIComponent).join(',')}`),
  };
}

function inline(data: StaticData): DataSource {
  const found = <T>(value: T | undefined, what: string): Promise<T> => (value === undefined ? Promise.reject(new Error(`this export does not hold ${what}`)) : Promise.resolve(value));
  return {
    live: false,
    start: data.start,
    runs: () => Promise.resolve({ runs: data.runs, problems: [] }),
    run: (id) => found(data.runViews[id], `the run ${id}`),
    sample: (id, index) => found(data.samples[sampleKeyOf(id, index)], `sample ${index} of the run ${id}`),
    machines: () => Promise.resolve(data.machines),
    compare: (ids) => found(data.comparisons[ids.join(',')], `a comparison of ${ids.join(', ')}`),
  };
}

export function dataSource(): DataSource {
  const embedded = document.getElementById('viewer-data');
  return embedded === null ? served() : inline(JSON.parse(embedded.textContent ?? '{}') as StaticData);
}
