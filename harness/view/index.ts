/** What the rest of the harness may use of view/: everything else in the folder is its own. */
export { LogSource } from './log-views';
export { arenaPageAssets, type PageAssets, studyPageAssets } from './page-bundle';
export { type LineChartSpec, type LineSeries } from './page/line-chart-spec';
export { startViewer } from './server';
export { staticViewer } from './static-export';
export { type ViewerInput, writeViewerFile } from './viewer-file';
export { scriptCodeSafe, scriptSafe, STATIC_POLICY } from './viewer-html';
