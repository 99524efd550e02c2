import * as t from 'io-ts';
import { failed, succeeded, withArguments, type Tool } from './tool';
import { PositiveInteger } from '../../domain/numbers';

/**
 * Asks the configured model for a completion inside the caller's execution window. The model is
 * deterministic, so its token count is known before the call is allowed: a call that would overrun
 * the window's budget is refused whole rather than cut short.
 */
export const complete: Tool = withArguments(
  t.type({ prompt: t.string, max_tokens: PositiveInteger }),
  (world, { prompt, max_tokens }, { agent_id }, { model }) => {
    const window = world.window;
    if (window === undefined || window.agent_id !== agent_id) return failed(world, 'no_execution_window');
    const completion = model({ agent_id, prompt, max_tokens });
    const remaining = window.token_budget - window.tokens_used;
    if (completion.tokens_used > remaining) {
      return failed(world, 'token_budget_exceeded', { tokens_required: completion.tokens_used, tokens_remaining: remaining });
    }
    const next = { ...world, window: { ...window, tokens_used: window.tokens_used + completion.tokens_used } };
    return succeeded(next, [], { text: completion.text }, { tokens_used: completion.tokens_used });
  },
);
