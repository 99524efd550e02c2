import type { Phase } from '../brains/protocol';
import * as code from './code';
import * as economic from './economic';
import * as human from './human';
import * as lifecycle from './lifecycle';
import * as llm from './llm';
import * as market from './market';
import * as output from './output';
import * as service from './service';
import type { ToolDefinition } from './tool';

export type { ToolDefinition, ToolPerformer } from './tool';

/**
 * Every tool an agent can call (docs/DESIGN.md section 3), each as it describes itself. The order is the
 * one tools are listed in wherever a list is shown (the unknown-tool answer, the tools open while
 * bidding, the tools offered to a model): by namespace, the economy's first — reading and moving
 * credits, the market, services, the model, work and the human — then the agent's own lifecycle and
 * self-improvement.
 */
export const TOOL_REGISTRY: readonly ToolDefinition[] = [
  economic.getBalance,
  economic.transfer,
  market.getPrices,
  market.bid,
  service.register,
  service.invoke,
  llm.complete,
  output.submit,
  human.prompt,
  lifecycle.spawn,
  lifecycle.sleep,
  code.propose,
  code.apply,
  code.runTests,
];

const TOOLS_BY_NAME: ReadonlyMap<string, ToolDefinition> = new Map(TOOL_REGISTRY.map((tool) => [tool.name, tool]));

export const TOOL_NAMES: readonly string[] = TOOL_REGISTRY.map((tool) => tool.name);

export function toolNamed(name: string): ToolDefinition | undefined {
  return TOOLS_BY_NAME.get(name);
}

const TOOLS_BY_PHASE: ReadonlyMap<Phase, readonly ToolDefinition[]> = new Map(
  (['bidding', 'executing'] as const).map((phase) => [phase, TOOL_REGISTRY.filter((tool) => tool.phases.includes(phase))]),
);

export function toolsOpenIn(phase: Phase): readonly ToolDefinition[] {
  return TOOLS_BY_PHASE.get(phase) ?? [];
}

/** Calls of these tools go to the scheduler, not to the orchestrator: `market.bid`. */
export function isPerformedByScheduler(toolName: string): boolean {
  return toolNamed(toolName)?.performer.by === 'scheduler';
}

/** Calls of these tools act on the self-improvement workspace, outside the world: each is performed once, when it is made. */
export function reachesOutsideTheWorld(toolName: string): boolean {
  const performer = toolNamed(toolName)?.performer;
  return performer?.by === 'orchestrator' && performer.reachesOutside === true;
}
