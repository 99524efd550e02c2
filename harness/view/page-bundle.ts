import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BuildFailure } from 'esbuild';

/**
 * The viewer page's code and style: page/main.ts and what it imports (uPlot among them) bundled by
 * esbuild into one script in memory, once per process, and the page's style with uPlot's. Nothing is
 * fetched: both are inlined into every page the viewer serves or exports.
 */

export interface PageAssets {
  readonly script: string;
  readonly style: string;
}

let assets: Promise<PageAssets> | undefined;

async function bundled(): Promise<PageAssets> {
  const { build } = await import('esbuild');
  const require = createRequire(import.meta.url);
  try {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./page/main.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const style = [readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'), readFileSync(fileURLToPath(new URL('./page/viewer.css', import.meta.url)), 'utf8')].join('\n');
    return { script: bundle.outputFiles[0]!.text, style };
  } catch (error) {
    const first = isBuildFailure(error) ? error.errors[0] : undefined;
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Error(`cannot bundle the viewer page: ${where}${first?.text ?? String(error)}`);
  }
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

export function pageAssets(): Promise<PageAssets> {
  assets ??= bundled();
  return assets;
}
