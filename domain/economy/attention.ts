/** A question to the human; its `bid_amount` is escrowed until it is answered or the run ends. */
export interface Prompt {
  readonly prompt_id: string;
  readonly agent_id: string;
  readonly bid_amount: number;
  readonly sequence: number;
}

/** Equal bids in submission order, so that the order never depends on how the prompts were handed over. */
const byAttentionBid = (a: Prompt, b: Prompt): number => b.bid_amount - a.bid_amount || a.sequence - b.sequence;

/** The order the human answers pending prompts in: highest attention bid first. */
export function answerOrder(prompts: readonly Prompt[]): Prompt[] {
  return [...prompts].sort(byAttentionBid);
}
