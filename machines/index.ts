/**
 * The machines' public face: what the harness builds worlds from, drives them with and reads them
 * through. The harness imports this file only; what is not exported here is the machines' own.
 */

// A world: its configuration, and running it.
export * from './world/config';
export { createWorld, orchestratorInput, runWorld, type CycleSummary, type RunOptions, type World, type WorldRun, type WorldStatus } from './world/world';

// The economy's pure steps, for the bench's plain reference, which runs them without actors.
export type { WorldState } from './world/state';
export { answerPrompts, deathsDue, releaseUnansweredPrompts, wakeSleepers } from './world/cycle-steps';
export { performTool } from './tools/perform';
export { readBid } from './tools/market';

// Where its events go.
export { createEventBus, stampEvent, traceRecorder, type Emission, type EventBus, type EventSink, type StampedSink, type TallySink, type TraceSink } from './event-bus';
export { openJsonlSink, type JsonlSink } from './jsonl-sink';

// Brains: the protocol every brain speaks, and the built-in ones.
export * from './brains/protocol';
export { scriptedBrain, ScriptedAction, ScriptTurn } from './brains/scripted';
export { DEFAULT_POLICY, policyBrain, type PolicyOptions } from './brains/policy';
export { AbandonTurn, defineAsyncBrain, MAX_FAILED_CALLS_IN_A_ROW, type AsyncBrain, type AsyncBrainOptions, type BrainFault } from './brains/async';
export { describeTransition, machineGraph, type MachineGraph, type MachineState, type MachineTransition } from './machine-graph';

// The tools, as they describe themselves.
export { isPerformedByScheduler, TOOL_NAMES, TOOL_REGISTRY, toolNamed, toolsOpenIn, type ToolDefinition, type ToolPerformer } from './tools/registry';
export { isMalformedCallReason, MALFORMED_CALL_REASONS, malformedCallReason, type MalformedCallReason } from './tools/refusals';

// The machines and what they send each other, for the model-based tests and the state diagrams.
export type * from './messages';
export { COMPLETED, CUT_OFF } from './turn-ending';
export { agentMachine, agentMachineFor, type AgentRef } from './agent/machine';
export type { AgentInput } from './agent/setup';
export { schedulerMachine, type SchedulerInput } from './scheduler';
export { orchestratorMachine } from './orchestrator/machine';
export type { OrchestratorInput } from './orchestrator/setup';

// Population studies: the built-in policies by name, and the simulated human who rewards their work.
export { policyFor, POLICY_SUMMARIES } from './brains/policies/catalogue';
export { DEFAULT_PRICE_AWARE, priceAwareBrain, type PriceAwareOptions } from './brains/policies/price-aware';
export { DEFAULT_SAVER, saverBrain, type SaverOptions } from './brains/policies/saver';
export { DEFAULT_RANDOM_BIDDER, randomBidderBrain, type RandomBidderOptions } from './brains/policies/random-bidder';
export { DEFAULT_SERVICE_PROVIDER, serviceProviderBrain, type ServiceProviderOptions } from './brains/policies/service-provider';
export { simulatedHuman } from './world/simulated-human';
