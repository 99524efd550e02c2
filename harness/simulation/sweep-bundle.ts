import { fileURLToPath } from 'node:url';
import type { BuildFailure } from 'esbuild';

/**
 * The code a sweep's worker threads run: sweep-worker.ts and everything it imports, bundled into one plain CommonJS
 * script in memory, once per sweep. A thread does not inherit the main thread's TypeScript loader, and registering tsx
 * in each thread, then loading the module graph through it, cost each thread about a second before its first run —
 * enough to eat much of what a second worker gains. The bundle is handed to the threads as text, so nothing is written
 * to disk and nothing is left behind.
 */
export async function sweepWorkerScript(): Promise<string> {
  // Loaded here rather than at the top so that commands which never sweep do not pay for it.
  const { build } = await import('esbuild');
  try {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./sweep-worker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node}`,
      write: false,
      logLevel: 'silent',
    });
    return bundle.outputFiles[0]!.text;
  } catch (error) {
    const first = isBuildFailure(error) ? error.errors[0] : undefined;
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Error(`cannot bundle the sweep worker: ${where}${first?.text ?? String(error)}`);
  }
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}
