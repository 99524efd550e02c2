import type { ToolCallRequest, ToolEnvironment, WorldState } from '../world/state';
import * as code from './code';
import * as economic from './economic';
import * as human from './human';
import * as lifecycle from './lifecycle';
import * as llm from './llm';
import * as market from './market';
import * as output from './output';
import * as service from './service';
import { failed, type Tool, type ToolEffect } from './tool';

/** The tools the orchestrator performs, by the name the brain uses (DESIGN.md section 3). */
export const TOOLS: Readonly<Record<string, Tool>> = {
  'economic.get_balance': economic.getBalance,
  'economic.transfer': economic.transfer,
  'market.get_prices': market.getPrices,
  'service.register': service.register,
  'service.invoke': service.invoke,
  'llm.complete': llm.complete,
  'output.submit': output.submit,
  'human.prompt': human.prompt,
  'agent.spawn': lifecycle.spawn,
  'agent.sleep': lifecycle.sleep,
  'code.propose': code.propose,
  'code.apply': code.apply,
  'test.run': code.runTests,
};

/** Every tool an agent can call: the orchestrator's and the scheduler's. */
export const TOOL_NAMES: readonly string[] = [...Object.keys(TOOLS), market.MARKET_BID];

/** A bidding turn happens before any window is bought: only the market and dormancy are open. */
export const BIDDING_TOOLS: ReadonlySet<string> = new Set(['economic.get_balance', 'market.get_prices', market.MARKET_BID, 'agent.sleep']);

export function performTool(world: WorldState, call: ToolCallRequest, env: ToolEnvironment): ToolEffect {
  const tool = Object.hasOwn(TOOLS, call.tool_name) ? TOOLS[call.tool_name] : undefined;
  if (tool === undefined) return failed(world, 'unknown_tool', { tool_name: call.tool_name, known: TOOL_NAMES });
  if (call.phase === 'bidding' && !BIDDING_TOOLS.has(call.tool_name)) {
    return failed(world, 'not_allowed_while_bidding', { tool_name: call.tool_name, allowed: [...BIDDING_TOOLS] });
  }
  return tool(world, call, env);
}
