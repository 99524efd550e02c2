import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BuildFailure } from 'esbuild';

/**
 * A page's code and style: an entry in page/ and what it imports (uPlot among them) bundled by esbuild
 * into one script in memory, once per process, and the page's style with uPlot's. Nothing is fetched:
 * both are inlined into every page. The viewer's entry is page/main.ts; the study report's and the
 * arena report's, which share its charts, page/study.ts and page/arena.ts.
 */

export interface PageAssets {
  readonly script: string;
  readonly style: string;
}

const bundles = new Map<string, Promise<PageAssets>>();

async function bundled(entry: string): Promise<PageAssets> {
  const { build } = await import('esbuild');
  const require = createRequire(import.meta.url);
  try {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL(`./page/${entry}`, import.meta.url))],
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
    throw new Error(`cannot bundle the page ${entry}: ${where}${first?.text ?? String(error)}`);
  }
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function assetsOf(entry: string): Promise<PageAssets> {
  const known = bundles.get(entry);
  if (known !== undefined) return known;
  const made = bundled(entry);
  bundles.set(entry, made);
  return made;
}

export const pageAssets = (): Promise<PageAssets> => assetsOf('main.ts');
export const studyPageAssets = (): Promise<PageAssets> => assetsOf('study.ts');
export const arenaPageAssets = (): Promise<PageAssets> => assetsOf('arena.ts');
