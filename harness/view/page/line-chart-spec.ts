/**
 * What a line chart shows, as plain data: built by whoever knows the numbers (the study report in
 * Node, the viewer in the page) and drawn by line-chart.ts. A null is a gap: a line that ends there.
 */

export interface LineSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Drawn thicker, first in the legend: the one the reader came for. */
  readonly emphasis?: boolean;
  /** Written after the label at the line's end, e.g. † for one that died. */
  readonly endMark?: string;
}

/**
 * `flow`: per-cycle amounts, which comb from one cycle to the next; the chart offers their running
 * total and a rolling mean. `level`: a quantity at each cycle; the chart offers a rolling mean.
 */
export type LineKind = 'flow' | 'level';

export interface LineChartSpec {
  readonly id: string;
  readonly title: string;
  readonly xs: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  readonly kind: LineKind;
  /** A fixed upper bound of the y axis (a Gini coefficient's 1); otherwise the data's. */
  readonly yMax?: number;
}

export type LineView = 'as is' | 'cumulative' | 'rolling';

export const ROLLING_WINDOW = 10;

export const viewsOf = (kind: LineKind): readonly LineView[] => (kind === 'flow' ? ['as is', 'cumulative', 'rolling'] : ['as is', 'rolling']);

/** `values` seen as `view`: a running total or a mean over the last ROLLING_WINDOW points; a gap stays a gap. */
export function viewed(values: readonly (number | null)[], view: LineView): (number | null)[] {
  if (view === 'as is') return [...values];
  if (view === 'cumulative') {
    let total = 0;
    return values.map((value) => (value === null ? null : (total += value)));
  }
  return values.map((value, index) => {
    if (value === null) return null;
    const window = values.slice(Math.max(0, index - ROLLING_WINDOW + 1), index + 1).filter((entry): entry is number => entry !== null);
    return window.reduce((sum, entry) => sum + entry, 0) / window.length;
  });
}
