import { isLeft } from 'fp-ts/lib/Either.js';
import type { ToolCallRequest, ToolEnvironment, WorldState } from '../world/state';
import { TOOL_NAMES, toolNamed, toolsOpenIn } from './registry';
import { notOpenIn } from './refusals';
import { decodeArguments, failed, refused, type ToolEffect } from './tool';

/**
 * Performs a call the orchestrator received: a tool the registry knows, open in the turn's phase,
 * with arguments its codec accepts. Bids never come here: the agent places them with the scheduler.
 */
export function performTool(world: WorldState, call: ToolCallRequest, env: ToolEnvironment): ToolEffect {
  const tool = toolNamed(call.tool_name);
  if (tool === undefined) return refused(world, 'unknown_tool', { tool_name: call.tool_name, known: TOOL_NAMES });
  if (!tool.phases.includes(call.phase)) {
    return refused(world, notOpenIn(call.phase), { tool_name: call.tool_name, allowed: toolsOpenIn(call.phase).map(({ name }) => name) });
  }
  if (tool.performer.by !== 'orchestrator') return failed(world, 'performed_by_the_scheduler', { tool_name: call.tool_name });
  const decoded = decodeArguments(tool.arguments, call.arguments);
  if (isLeft(decoded)) return { world, emissions: [], outcome: decoded.left };
  return tool.performer.perform(world, decoded.right, call, env);
}
