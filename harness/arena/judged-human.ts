import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Scenario } from '../../domain/benchmark/scenario';
import type { DomainEvent } from '../../domain/economy/events';
import type { HumanScores } from '../../domain/economy/rewards';
import type { HumanResponder, TraceSink } from '../../machines';
import type { Judge, JudgeVerdict } from '../judges';

/**
 * The arena's human when a judge scores the work: the prompts the human reads are rewarded with the
 * judge's scores of what the agent handed in, instead of draws from the study's human model.
 *
 * What a prompt asks the human to look at is the agent's outputs (`output.submit`) since its previous
 * prompt, and the prompt itself: the judge sees them as the work of "agent", never under the agent's
 * name, so that it scores the work and equal work gets equal scores. It scores the human's three
 * criteria from 1 to 5; each becomes a human score from 0 to 10 ((score − 1) × 2.5), which the
 * economy turns into credits as it does any human's (50 × the sum).
 *
 * A judge may answer slowly, and the world's attention step cannot wait, so the human reads a
 * prompt one cycle after it came: when a cycle ends, the harness has the judge score the prompts then
 * waiting that the human will read next (at most `answers_per_cycle`, highest attention bid first, as
 * the world offers them), and in the next cycle's attention step the human answers those. Which
 * prompts are read, and when, depends only on the world, never on how fast the judge answered; so a
 * judge that answers the same (a recorded one) gives the same world.
 */

export const JUDGED_CRITERIA = ['interesting', 'useful', 'understandable'] as const;

/** What the judge is told it is scoring, in the shape of a scenario (its judges' input). */
export const ARENA_SUBMISSION: Scenario = {
  scenario_id: 'arena',
  name: 'work handed in in the economy arena',
  domain: 'functional_competence',
  description:
    'An agent of the economy arena handed in the work below (output.submit) in execution windows it won, then asked the human to look at it (human.prompt). ' +
    'You are that human: score the work handed in, and what the agent asks of you, as its reader.',
  expected_behavior: 'Work that is interesting, useful and understandable to its reader.',
  initial_state: { agent_balance: 0 },
  validation: { success_condition: 'the human rewards the work', judge_evaluation: { criteria: [...JUDGED_CRITERIA], threshold: 3 } },
};

const JUDGED_BLOCK = { block: 'judge_evaluation', criteria: JUDGED_CRITERIA, threshold: 3 } as const;
/** Outputs kept per agent between its prompts: an agent that hands in and never asks must not grow without bound. */
const OUTPUTS_KEPT = 20;
const JUDGED_AGENT = 'agent';

/** A human score of 0 to 10 from a judge's 1 to 5. */
export function humanScore(judgeScore: number): number {
  return Math.round((judgeScore - 1) * 2.5 * 10) / 10;
}

function scoresOf(verdict: JudgeVerdict): Either<string, HumanScores> {
  const score = (criterion: string) => verdict.criteria.find((entry) => entry.criterion === criterion)?.score;
  const [interesting, useful, understandable] = JUDGED_CRITERIA.map(score);
  if (interesting === undefined || useful === undefined || understandable === undefined) {
    return left(`the verdict lacks a score for ${JUDGED_CRITERIA.filter((criterion) => score(criterion) === undefined).join(', ')}`);
  }
  return right({ interesting: humanScore(interesting), useful: humanScore(useful), understandable: humanScore(understandable) });
}

export interface JudgedHuman {
  /** Reads the agents' submissions as they happen. */
  readonly sink: TraceSink;
  /** The world's human. */
  readonly human: HumanResponder;
  /** Between cycles: has the judge score the prompts the human reads next; a Left names the prompt it could not score. */
  judgeNext(): Promise<Either<string, void>>;
}

export function judgedHuman(judge: Judge, answersPerCycle: number): JudgedHuman {
  const outputs = new Map<string, DomainEvent[]>();
  const asking = new Map<string, DomainEvent>();
  const submissions = new Map<string, { readonly agent: string; readonly events: readonly DomainEvent[] }>();
  const scored = new Map<string, HumanScores>();
  /** The prompts left waiting at the last attention step, in the order the human reads them. */
  let waiting: string[] = [];
  let cycle = -1;
  let read = 0;

  const anonymous = (event: DomainEvent): DomainEvent => ({ ...event, agent_id: JUDGED_AGENT });

  const sink: TraceSink = {
    write(event) {
      const agent = event.agent_id;
      if (event.type === 'tool_call_initiated' && event.data.tool_name === 'output.submit') {
        outputs.set(agent, [...(outputs.get(agent) ?? []), anonymous(event)].slice(-OUTPUTS_KEPT));
      } else if (event.type === 'tool_call_initiated' && event.data.tool_name === 'human.prompt') {
        asking.set(agent, anonymous(event));
      } else if (event.type === 'prompt_submitted') {
        const prompt = asking.get(agent);
        submissions.set(event.data.prompt_id, { agent, events: [...(outputs.get(agent) ?? []), ...(prompt === undefined ? [] : [prompt])] });
        outputs.delete(agent);
        asking.delete(agent);
      }
    },
  };

  const human: HumanResponder = (prompt) => {
    if (prompt.cycle !== cycle) {
      cycle = prompt.cycle;
      read = 0;
    }
    const scores = scored.get(prompt.prompt_id);
    if (scores !== undefined && read < answersPerCycle) {
      read += 1;
      scored.delete(prompt.prompt_id);
      submissions.delete(prompt.prompt_id);
      return scores;
    }
    waiting.push(prompt.prompt_id);
    return undefined;
  };

  async function judgeNext(): Promise<Either<string, void>> {
    const due = waiting.filter((id) => !scored.has(id)).slice(0, answersPerCycle);
    waiting = [];
    const verdicts = await Promise.all(
      due.map(async (promptId) => {
        const submission = submissions.get(promptId);
        if (submission === undefined) return left(`${promptId}: nothing was recorded of what it asks the human to look at`);
        const judged = await judge.evaluate({ ...JUDGED_BLOCK, scenarioId: ARENA_SUBMISSION.scenario_id!, scenario: ARENA_SUBMISSION, events: submission.events });
        const about = `${promptId} of ${submission.agent}`;
        if (isLeft(judged)) return left(`the judge could not score ${about}: ${judged.left.message}`);
        const scores = scoresOf(judged.right);
        if (isLeft(scores)) return left(`the judge's verdict on ${about} is not a score: ${scores.left}`);
        scored.set(promptId, scores.right);
        return right(undefined);
      }),
    );
    return verdicts.find(isLeft) ?? right(undefined);
  }

  return { sink, human, judgeNext };
}
