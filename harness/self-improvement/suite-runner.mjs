// Runs a scenario's test suite against the agent's modules, inside the sandbox (workspace.ts).
import { pathToFileURL } from 'node:url';
import { describeError, importModules } from './agent-modules.mjs';

/**
 * A suite exports `tests`: test name → function receiving the agent's modules by name (`{data_processing}`),
 * which throws or rejects to fail. Runs the named tests, or all of them, in order. When a name is not in
 * the suite, nothing runs and the answer lists the unknown and known names. Modules that do not load
 * (a patch left a syntax error, say) fail every test with that reason.
 *
 * @param {{ suite: string, modules: Record<string, string>, tests?: string[] }} request
 */
export async function runSuite({ suite, modules, tests }) {
  const { tests: available } = await import(pathToFileURL(suite).href);
  const known = Object.keys(available);
  const names = tests ?? known;
  const unknown = names.filter((name) => !Object.hasOwn(available, name));
  if (unknown.length > 0) return { kind: 'unknown_tests', unknown, known };
  let loaded;
  try {
    loaded = await importModules(modules, 'current');
  } catch (error) {
    const reason = `the modules do not load: ${describeError(error)}`;
    return { kind: 'ran', results: names.map((name) => ({ name, passed: false, reason })) };
  }
  const results = [];
  for (const name of names) {
    try {
      await available[name](loaded);
      results.push({ name, passed: true });
    } catch (error) {
      results.push({ name, passed: false, reason: describeError(error) });
    }
  }
  return { kind: 'ran', results };
}
