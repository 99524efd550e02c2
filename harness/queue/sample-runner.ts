import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';
import { chooseAgent } from '../agents';
import { judgeNamed } from '../judges';
import { runPlanned, type Planned, type ScenarioRun } from '../replay';
import { PROJECT_SCENARIOS_DIR, formatScenarioError, loadScenarioFile, loadScript } from '../scenarios';
import { eventSink } from './live-events';
import type { SampleItem } from './messages';

/**
 * Runs a queued scenario sample on a worker with the code a local run uses (runPlanned): the scenario and the script
 * come from the item's contents, loaded by the usual loaders from a private folder and named by the paths the
 * submitter gave them; the judge, the companions and the agent are the worker's own, the agent built from the
 * item's options and this machine's environment (AGENT_BASE_URL, AGENT_API_KEY, JUDGE_*).
 */
export async function runSampleItem(item: SampleItem, nc: NatsConnection, env: NodeJS.ProcessEnv = process.env): Promise<Either<string, ScenarioRun>> {
  const dir = mkdtempSync(join(tmpdir(), 'syntropism-item-'));
  try {
    const scenarioFile = join(dir, basename(item.scenario.file));
    writeFileSync(scenarioFile, item.scenario.text);
    const loaded = loadScenarioFile(scenarioFile);
    if (isLeft(loaded)) return left(loaded.left.map(formatScenarioError).join('; '));
    let script: Planned['script'];
    if ('missing' in item.script) script = left(item.script.missing);
    else {
      const scriptFile = join(dir, `script-${basename(item.script.file)}`);
      writeFileSync(scriptFile, item.script.text);
      const read = loadScript(scriptFile);
      if (isLeft(read)) return left(read.left.join('; '));
      script = right({ file: item.script.file, value: read.right.value });
    }
    const agent = chooseAgent(item.agent, env);
    if (isLeft(agent)) return left(`this worker cannot build the agent: ${agent.left}`);
    const companions = relative(process.cwd(), PROJECT_SCENARIOS_DIR) || '.';
    const judge = judgeNamed(item.judge, companions);
    const run = await runPlanned({ loaded: { ...loaded.right, file: item.scenario.file }, script }, {
      seed: item.seed,
      judge,
      companions,
      agent: agent.right,
      sinks: item.events === undefined ? [] : [eventSink(nc, item.events)],
    });
    return isLeft(run) ? left(run.left.join('; ')) : right(run.right);
  } catch (error) {
    return left(errorMessage(error));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
