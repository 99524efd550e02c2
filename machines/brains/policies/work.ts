import type { ResourceBundle } from '../../../domain/resources';
import type { BrainAction, BrainPrompt } from '../protocol';

/**
 * The work a built-in policy does in a window it won: one completion; then, if it pays for one, a
 * service; then, if it asks for the human's attention, the output handed in and a prompt escrowing
 * `prompt_bid` for the human to look at it. Each step follows the result of the one before.
 */

export interface WorkOptions {
  readonly completion: { readonly prompt: string; readonly max_tokens: number };
  /** Credits escrowed to ask the human to look at the output; 0 or absent: the policy never asks. */
  readonly prompt_bid?: number;
  /** A service bought in each window, by name. */
  readonly service?: string;
}

export const END_TURN: BrainAction = { kind: 'end_turn' };

export function startWork(options: WorkOptions): BrainAction {
  return { kind: 'tool', tool_name: 'llm.complete', arguments: { ...options.completion } };
}

function completionText(result: BrainPrompt): string {
  if (result.type !== 'tool.result' || result.result !== 'success') return '';
  const response = result.response as { text?: unknown } | undefined;
  return typeof response?.text === 'string' ? response.text : '';
}

function handIn(content: string, options: WorkOptions): BrainAction {
  if ((options.prompt_bid ?? 0) <= 0) return END_TURN;
  return { kind: 'tool', tool_name: 'output.submit', arguments: { content } };
}

/** The next step of the window's work after `result`; the end of the turn after the last. */
export function continueWork(result: BrainPrompt, options: WorkOptions): BrainAction {
  if (result.type !== 'tool.result') return END_TURN;
  switch (result.tool_name) {
    case 'llm.complete':
      if (options.service !== undefined) return { kind: 'tool', tool_name: 'service.invoke', arguments: { service_name: options.service } };
      return handIn(completionText(result), options);
    case 'service.invoke':
      return handIn(`with ${options.service}`, options);
    case 'output.submit':
      return { kind: 'tool', tool_name: 'human.prompt', arguments: { prompt: 'Please look at the output I handed in.', bid_amount: options.prompt_bid } };
    default:
      return END_TURN;
  }
}

export function bid(amount: number, bundle: ResourceBundle): BrainAction {
  return { kind: 'tool', tool_name: 'market.bid', arguments: { amount, bundle } };
}

export function sleep(cycles: number): BrainAction {
  return { kind: 'tool', tool_name: 'agent.sleep', arguments: { cycles } };
}

/** Credits as the ledger keeps them in a bid: to the cent, never more than the balance. */
export function offer(amount: number, balance: number): number {
  return Math.min(balance, Math.round(amount * 100) / 100);
}
