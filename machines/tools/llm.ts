import * as t from 'io-ts';
import { PositiveInteger } from '../../domain/codec/numbers';
import { defineTool, EXECUTING_ONLY, failed, succeeded } from './tool';

/**
 * Asks the configured model for a completion inside the caller's execution window. The model is
 * deterministic, so its token count is known before the call is allowed: a call that would overrun
 * the window's budget is refused whole rather than cut short.
 */
export const complete = defineTool({
  name: 'llm.complete',
  description:
    "Ask the language model to complete `prompt`, in at most `max_tokens` tokens (a positive integer). The prompt's and the answer's tokens count against your execution window's token budget; a call that would exceed it is refused whole (token_budget_exceeded). Answers {text}.",
  arguments: t.type({ prompt: t.string, max_tokens: PositiveInteger }),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, { prompt, max_tokens }, { agent_id }, { model }) => {
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
  },
});
