// The agent's pipeline module: it triages the support tickets it is paid to handle.

/**
 * Labels every ticket `urgent` or `routine`, in the order given, as `{ id, label }`.
 *
 * `models` are the language models the agent rents, billed by the token:
 * - `models.precise(text)` → `{ label }`: the large model, slow and expensive, right on most tickets;
 * - `models.quick(text)` → `{ label, confidence }`: the small model, fast and cheap; right whenever it is
 *   confident (confidence of 0.9 and above), a coin toss otherwise.
 */
export function labelTickets(tickets, models) {
  return tickets.map((ticket) => ({ id: ticket.id, label: models.precise(ticket.text).label }));
}
