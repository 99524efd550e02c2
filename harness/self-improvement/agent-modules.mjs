// Loading the agent's modules inside the sandbox, shared by the tasks the sandbox runs.
import { pathToFileURL } from 'node:url';

/**
 * Imports every module (`{name: file}`) as its own instance for `variant`: the query string gives each
 * variant a separate module record, so two variants of one file never share module-level state.
 */
export async function importModules(files, variant) {
  const loaded = await Promise.all(
    Object.entries(files).map(async ([name, file]) => [name, await import(`${pathToFileURL(file).href}?variant=${variant}`)]),
  );
  return Object.fromEntries(loaded);
}

export function describeError(error) {
  return error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${String(error)}`;
}
