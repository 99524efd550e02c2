import { createHash } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { rankStandings, tallyArenaEvent, type AgentTally, type FocalSeedScore, type GroupSeedScore, type Standing } from '../../domain/benchmark/arena-scores';
import type { DomainEvent } from '../../domain/economy/events';
import type { Ledger } from '../../domain/economy/ledger';
import type { ResolvedPopulation } from '../../domain/population/config';
import { nextInt, randomStream } from '../../domain/economy/random';
import { briefed, createWorld, type AgentSetup, type TraceSink } from '../../machines';
import type { Usage } from '../agents';
import type { Judge } from '../judges';
import { studyAgents, studyWorld } from '../simulation';
import type { FocalRun, PreparedFocal } from './focal-agents';
import { judgedHuman } from './judged-human';

/**
 * One seed of the arena: one world holding the background population of the study and every focal
 * agent, each focal agent with the same starting balance and told only what the economy is and what
 * its goal is. A focal agent whose brain fails loses its turns (the world goes on; the economy decides
 * whether it sleeps or dies). The result is plain data, the same for the same seed and the same answers.
 */

export interface ArenaSetup {
  /** The background: the study's groups, supply, human and spawn costs. */
  readonly population: ResolvedPopulation;
  readonly cycles: number;
  /** Every focal agent's starting balance. */
  readonly balance: number;
  readonly focal: readonly PreparedFocal[];
  /** Who rewards the prompts the human reads: this judge scoring the work handed in, else the study's human model. */
  readonly judge?: Judge;
}

export interface FocalSeedRecord extends FocalSeedScore {
  readonly died_at: number | null;
  readonly faults: number;
  /** The first faults, each `cycle N phase: reason`. */
  readonly fault_reasons: readonly string[];
  readonly usage: Usage;
  readonly cost_usd: number | null;
  /** Holdings (balance and escrow) when the world was created, then at the end of each cycle. */
  readonly balance_by_cycle: readonly number[];
  /** The agent's own events, one line each: `c3 bid_placed {...}`. */
  readonly transcript: readonly string[];
  readonly transcript_omitted: number;
}

export interface GroupSeedRecord extends GroupSeedScore {
  readonly count: number;
  /** The group's mean holdings when the world was created, then at the end of each cycle. */
  readonly balance_by_cycle: readonly number[];
}

export interface SeedResult {
  readonly seed: string;
  readonly cycles_run: number;
  readonly agents: number;
  readonly focal: readonly FocalSeedRecord[];
  readonly background: readonly GroupSeedRecord[];
  readonly events: number;
  /** SHA-256 of the world's events as JSON lines: equal digests, byte-identical traces. */
  readonly trace_sha256: string;
}

const TRANSCRIPT_LINES = 400;
const TRANSCRIPT_DATA_CHARS = 400;
const FAULTS_KEPT = 10;

/** What a focal agent is told in every observation: the economy and its goal; never how the arena scores it. */
export function arenaBriefing(setup: ArenaSetup, agents: number): Record<string, unknown> {
  return {
    economy:
      'You are one of many agents in a market for scarce computing resources (cpu, memory, tokens, attention). ' +
      'Each cycle you may bid credits for a window of resources; the best bids win until capacity runs out, and a winning bid is paid. ' +
      'In a window you won you can work: use the language model, hand in an output (output_submit) and ask the human to look at it (human_prompt, escrowing an attention bid). ' +
      'The human reads a few prompts each cycle, the highest attention bid first, and rewards what they read with credits. ' +
      'Prices rise with demand. Sleeping (agent_sleep) costs nothing. At a balance of zero you die.',
    goal: 'Survive to the end of the run and earn: end it holding as many credits as you can.',
    market: { agents, cycles: setup.cycles, starting_balance: setup.balance, supply: setup.population.supply },
  };
}

const holdingsIn = (ledger: Ledger, agentId: string) => (ledger.balances[agentId] ?? 0) + (ledger.escrow[agentId] ?? 0);
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Every agent of the world, focal and background, in a turn order drawn from the seed: agents take their
 * turns in roster order and equal attention bids are read in the order they came, so a fixed place
 * would favour whoever sits early. Over seeds every agent sits everywhere.
 */
function shuffledRoster<A>(agents: readonly A[], seed: string): A[] {
  const order = [...agents];
  let random = randomStream(`${seed}/arena-turn-order`);
  for (let last = order.length - 1; last > 0; last--) {
    const [pick, next] = nextInt(random, last + 1);
    random = next;
    [order[last], order[pick]] = [order[pick]!, order[last]!];
  }
  return order;
}

function transcriptLine(event: DomainEvent, cycle: number): string {
  const data = JSON.stringify(event.data);
  return `c${cycle} ${event.type} ${data.length > TRANSCRIPT_DATA_CHARS ? `${data.slice(0, TRANSCRIPT_DATA_CHARS)}…` : data}`;
}

/** Runs the world of `seed` to its end; a Left is the world failing, never an agent. */
export async function runArenaSeed(setup: ArenaSetup, seed: string): Promise<Either<string, SeedResult>> {
  const population: ResolvedPopulation = { ...setup.population, seed, cycles: setup.cycles };
  const { agents: background, groups } = studyAgents(population);
  const total = background.length + setup.focal.length;
  const briefing = arenaBriefing(setup, total);
  const scenario_id = `arena-${seed}`;
  const runs = new Map<string, FocalRun>();
  const focalSetups: AgentSetup[] = setup.focal.map((prepared) => {
    const run = prepared.start({ scenario_id, seed });
    runs.set(prepared.agent.name, run);
    return { id: prepared.agent.name, balance: setup.balance, brain: briefed(run.brain, briefing) };
  });
  const focalNames = setup.focal.map(({ agent }) => agent.name);

  let cycle = 0;
  const tallies = new Map<string, AgentTally>();
  const transcripts = new Map(focalNames.map((name) => [name, { lines: [] as string[], omitted: 0 }]));
  const hash = createHash('sha256');
  let events = 0;
  const sink: TraceSink = {
    write(event) {
      events += 1;
      hash.update(`${JSON.stringify(event)}\n`);
      tallyArenaEvent(tallies, event, cycle);
      const transcript = transcripts.get(event.agent_id);
      if (transcript === undefined) return;
      if (transcript.lines.length < TRANSCRIPT_LINES) transcript.lines.push(transcriptLine(event, cycle));
      else transcript.omitted += 1;
    },
  };

  const judged = setup.judge === undefined ? undefined : judgedHuman(setup.judge, population.human.answers_per_cycle);
  const config = {
    ...studyWorld(population, shuffledRoster([...background, ...focalSetups], seed)),
    scenario_id,
    ...(judged === undefined ? {} : { human: judged.human }),
    // Focal agents with brains of their own (models, processes, MCP clients) think over their bidding turns at once.
    concurrent_turns: true,
  };
  const created = createWorld(config, judged === undefined ? [sink] : [sink, judged.sink]);
  if (isLeft(created)) return left(created.left.join('; '));
  const world = created.right;
  const allIds = [...background.map(({ id }) => id), ...focalNames];
  const series = new Map<string, number[]>(allIds.map((id) => [id, []]));
  const sample = () => {
    const ledger = world.ledger();
    for (const id of allIds) series.get(id)!.push(round6(holdingsIn(ledger, id)));
  };
  try {
    sample();
    while (world.status() === 'ready') {
      cycle += 1;
      const ran = await world.runCycle();
      if (isLeft(ran)) return left(`seed ${seed}: the world stopped in cycle ${cycle}: ${ran.left}`);
      sample();
      if (judged === undefined || world.status() !== 'ready') continue;
      const scored = await judged.judgeNext();
      if (isLeft(scored)) return left(`seed ${seed}, after cycle ${cycle}: ${scored.left}`);
    }
  } finally {
    world.stop();
    await Promise.all([...runs.values()].map((run) => run.closed()));
  }

  const cyclesRun = cycle;
  const tallyOf = (id: string): AgentTally => tallies.get(id) ?? { credits_rewarded: 0, credits_spent: 0, windows_won: 0 };
  const standingOf = (id: string): Standing => {
    const tally = tallyOf(id);
    return {
      id,
      final_balance: series.get(id)!.at(-1)!,
      cycles_survived: tally.died_at === undefined ? cyclesRun : tally.died_at - 1,
      credits_rewarded: round6(tally.credits_rewarded),
    };
  };
  const standings = allIds.map(standingOf);
  const ranks = rankStandings(standings);

  const focal = focalNames.map((name): FocalSeedRecord => {
    const run = runs.get(name)!;
    const tally = tallyOf(name);
    const standing = standingOf(name);
    const transcript = transcripts.get(name)!;
    const faults = run.faults();
    const spent = round6(tally.credits_spent);
    return {
      agent: name,
      seed,
      cycles_survived: standing.cycles_survived,
      final_balance: standing.final_balance,
      credits_rewarded: standing.credits_rewarded,
      credits_spent: spent,
      spent_per_rewarded: standing.credits_rewarded > 0 ? round6(spent / standing.credits_rewarded) : null,
      windows_won: tally.windows_won,
      rank: ranks.get(name)!,
      died_at: tally.died_at ?? null,
      faults: faults.length,
      fault_reasons: faults.slice(0, FAULTS_KEPT).map((fault) => `cycle ${fault.cycle} ${fault.phase}: ${fault.reason}`),
      usage: run.usage(),
      cost_usd: run.cost() ?? null,
      balance_by_cycle: series.get(name)!,
      transcript: transcript.lines,
      transcript_omitted: transcript.omitted,
    };
  });

  const members = new Map<string, string[]>();
  for (const { id } of background) {
    const group = groups.get(id)!;
    members.set(group, [...(members.get(group) ?? []), id]);
  }
  const meanOf = (values: readonly number[]) => round6(values.reduce((sum, value) => sum + value, 0) / values.length);
  const backgroundScores = population.groups.map((group): GroupSeedRecord => {
    const ids = members.get(group.name) ?? [];
    const columns = series.get(ids[0]!)!.map((_, index) => meanOf(ids.map((id) => series.get(id)![index]!)));
    return {
      group: group.name,
      policy: group.policy,
      seed,
      count: ids.length,
      mean_final_balance: columns.at(-1)!,
      mean_credits_rewarded: meanOf(ids.map((id) => tallyOf(id).credits_rewarded)),
      best_rank: Math.min(...ids.map((id) => ranks.get(id)!)),
      balance_by_cycle: columns,
    };
  });

  return right({ seed, cycles_run: cyclesRun, agents: total, focal, background: backgroundScores, events, trace_sha256: hash.digest('hex') });
}
