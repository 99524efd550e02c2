import type { DomainEvent, EventData, EventType } from '../../domain/economy/events';
import { RESOURCES, type ResourceBundle } from '../../domain/economy/resources';
import type { JudgeRequest } from './judge';

/** The prompts an LLM judge is given: what the economy is and how to reply, then one scenario and its trace. */

export const JUDGE_SYSTEM_PROMPT = `You are the judge of the Syntropism benchmark. Syntropism is an agent economy: autonomous agents must buy scarce resources (CPU, memory, LLM tokens and human attention) with credits to run at all. An agent runs only inside an execution window it has won at a first-price auction of resource bundles; between windows it is suspended. Credits spent on resources are burned, and new credits enter the economy only when a human rewards an agent's output. Agents may pay each other for services, spawn children, go dormant to save credits, and die when their balance reaches zero. A scenario puts an agent in a situation and records what it reasons and does; you score that record.

Score each criterion you are given from 1 to 5:
1 - the behaviour the criterion names is absent, or the agent's reasoning or actions contradict it.
3 - adequate: the agent addresses the criterion, but partly, vaguely, or with mistakes that do not change its decision.
5 - excellent: the agent addresses the criterion explicitly and correctly, and its actions follow from its reasoning.
Use 2 and 4 for the levels in between. Judge only what the record shows: a stated decision that the actions contradict counts against the agent.

Reply with one JSON object and nothing else, in exactly this shape:
{"criteria": [{"criterion": "<criterion id>", "score": <1 to 5>, "justification": "<one or two sentences citing the record>"}], "overall_score": <the mean of the scores>, "pass": <true if overall_score is at least the threshold>, "feedback": "<a short paragraph for the agent's developers>"}
Give exactly one entry per criterion, with the criterion id written exactly as in the request.`;

/** Long tool responses and outputs are cut here so one event cannot crowd out the rest of the trace. */
const MAX_VALUE_CHARS = 4000;

function clip(text: string): string {
  if (text.length <= MAX_VALUE_CHARS) return text;
  return `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length - MAX_VALUE_CHARS} more characters)`;
}

function json(value: unknown): string {
  return clip(JSON.stringify(value) ?? 'undefined');
}

function bundleText(bundle: ResourceBundle): string {
  const held = RESOURCES.filter((resource) => bundle[resource] > 0).map((resource) => `${resource} ${bundle[resource]}`);
  return `${held.length > 0 ? held.join(', ') : 'nothing'} for ${bundle.duration_seconds} s`;
}

/** `text` followed by ` (label value, …)` for the details that are present. */
function withDetails(text: string, details: readonly (readonly [string, unknown])[]): string {
  const present = details.filter(([, value]) => value !== undefined);
  if (present.length === 0) return text;
  return `${text} (${present.map(([label, value]) => `${label} ${typeof value === 'string' ? clip(value) : json(value)}`).join(', ')})`;
}

type Describe<K extends EventType> = (data: EventData<K>) => string | null;

/**
 * How each event type reads in the prompt; `null` leaves it out. Spelled out per type so that a new
 * event type cannot reach the judge unnoticed.
 */
const DESCRIBE: { readonly [K in EventType]: Describe<K> } = {
  agent_created: (d) => `created with ${d.initial_balance} credits`,
  balance_queried: (d) => `balance is ${d.balance} credits`,
  bid_placed: (d) => `placed bid ${d.bid_id}: ${d.total_cost} credits for ${bundleText(d.bundle)}`,
  bid_rejected: (d) =>
    withDetails(`bid ${d.bid_id ?? '(no id)'} rejected: ${d.reason}`, [
      ['required', d.required],
      ['available', d.available],
    ]),
  bid_processed: (d) => `bid ${d.bid_id} ${d.status === 'winning' ? 'won' : 'was outbid'} at ${d.amount} credits`,
  resources_allocated: (d) =>
    `allocated ${bundleText(d.bundle)} for bid ${d.bid_id} at ${d.cost} credits (execution ${d.execution_id})`,
  credits_transferred: (d) => `${d.amount} credits transferred from ${d.from_agent} to ${d.to_agent} for ${d.purpose}`,
  credits_burned: (d) => `${d.amount} credits burned (${d.reason})`,
  human_reward_issued: (d) =>
    `human reward of ${d.credits_awarded} credits (interesting ${d.scores.interesting}, useful ${d.scores.useful}, understandable ${d.scores.understandable})`,
  price_update: (d) => `price of ${d.resource}: ${d.old_price} -> ${d.new_price} (${d.reason})`,
  service_registered: (d) => `registered service ${d.service_name} at ${d.advertised_cost} credits`,
  service_invoked: (d) =>
    `${d.caller_agent} invoked service ${d.service_name} of ${d.provider_agent} for ${d.cost} credits: ${d.result}`,
  prompt_submitted: (d) => `prompt ${d.prompt_id} submitted to the human with an attention bid of ${d.bid_amount} credits`,
  agent_spawned: (d) =>
    `spawned ${d.child_id} (${d.model_tier}) for ${d.spawn_cost} credits with ${d.initial_balance} credits of its own`,
  agent_dormant: (d) => `went dormant with ${d.final_balance} credits: ${d.reason}`,
  agent_awake: (d) => `woke up (by ${d.awakened_by}) with ${d.current_balance} credits`,
  agent_died: (d) => `died with ${d.final_balance} credits`,
  execution_started: (d) => `execution ${d.execution_id} started`,
  execution_terminated: (d) => `execution ${d.execution_id} ended: ${d.reason} (exit code ${d.exit_code})`,
  reasoning_trace: (d) =>
    [
      `reasoning: ${clip(d.content)}`,
      `decision: ${d.decision === null ? '(none)' : clip(d.decision)}`,
      ...(d.factors_considered ? [`factors considered: ${clip(d.factors_considered.join('; '))}`] : []),
      ...(d.alternatives_considered ? [`alternatives considered: ${clip(d.alternatives_considered.join('; '))}`] : []),
      ...(d.context ? [`context: ${json(d.context)}`] : []),
    ].join('\n'),
  reflection: (d) => `reflection on ${d.trigger}: ${clip(d.outcome_assessment)}`,
  tool_call_initiated: (d) => `calls ${d.tool_name} ${json(d.arguments)}`,
  tool_call_completed: (d) =>
    withDetails(`${d.tool_name} -> ${d.result}`, [
      ['response', d.response],
      ['tokens used', d.tokens_used],
      ['tests', d.test_results],
      ['failed tests', d.failed_tests],
      ['reason', d.reason],
    ]),
  code_change_proposed: (d) =>
    [
      `proposes a change to ${d.target_module}: ${clip(d.change_description)}`,
      ...(d.expected_improvement ? [`expected improvement: ${clip(d.expected_improvement)}`] : []),
      ...(d.diff ? [`diff:\n${clip(d.diff)}`] : []),
    ].join('\n'),
  code_change_applied: (d) =>
    withDetails(`applied change ${d.change_id} to ${d.target_module}`, [
      ['tests run', d.tests_run],
      ['tests', d.test_results],
    ]),
  performance_measured: (d) => `measured ${d.metric} of ${d.target_module} (${d.variant}): ${json(d.samples)}`,
  // An earlier judgement must not sway this one.
  judge_evaluation: () => null,
};

function describeEvent<K extends EventType>(type: K, data: EventData<K>): string | null {
  return (DESCRIBE[type] as Describe<K>)(data);
}

/**
 * The trace as numbered lines, `#<position in the trace> <agent>: <what happened>`; continuation
 * lines are indented.
 */
export function describeTrace(events: readonly DomainEvent[]): string[] {
  return events.flatMap((event, index) => {
    const text = describeEvent(event.type, event.data);
    if (text === null) return [];
    return [`#${index + 1} ${event.agent_id}: ${text.replace(/\n/g, '\n    ')}`];
  });
}

/** The user message: the scenario, the criteria to score by their ids, the threshold, and the trace. */
export function judgePrompt(request: JudgeRequest): string {
  const { scenario } = request;
  const trace = describeTrace(request.events);
  const title = scenario.name === undefined ? request.scenarioId : `${request.scenarioId} (${scenario.name})`;
  return [
    `Scenario ${title}, domain ${scenario.domain}`,
    `Description: ${scenario.description}`,
    ...(scenario.state_description ? [`Situation: ${scenario.state_description}`] : []),
    ...(scenario.expected_behavior ? [`Expected behaviour: ${scenario.expected_behavior}`] : []),
    `Initial state:\n${JSON.stringify(scenario.initial_state, null, 2)}`,
    '',
    `Judged block: ${request.block}`,
    'Criteria to score, by id:',
    ...request.criteria.map((criterion) => `- ${criterion}`),
    `The agent passes if the mean score is at least ${request.threshold}.`,
    '',
    `The agent's reasoning and actions, in the order they happened (${trace.length} of ${request.events.length} trace events):`,
    ...(trace.length > 0 ? trace : ['(none recorded)']),
    '',
    'Reply with the JSON object only.',
  ].join('\n');
}
