// The agent's data_processing module: the daily sales report it produces for its clients.

/**
 * One summary per customer from a day's raw transactions.
 *
 * A transaction is `{ customer, amount }`: a non-empty customer id and an amount in currency units
 * (negative for a refund); anything else is skipped. A summary is `{ customer, count, total }`. Amounts
 * are summed in whole cents so that totals do not drift. Summaries come largest total first; customers
 * with equal totals keep the order in which they first appear in the day.
 */
export function summarize(transactions) {
  const summaries = [];
  for (const transaction of transactions) {
    if (!isValid(transaction)) continue;
    let summary = summaries.find((candidate) => candidate.customer === transaction.customer);
    if (summary === undefined) {
      summary = { customer: transaction.customer, count: 0, cents: 0 };
      summaries.push(summary);
    }
    summary.count += 1;
    summary.cents += Math.round(transaction.amount * 100);
  }
  summaries.sort((a, b) => b.cents - a.cents);
  return summaries.map(({ customer, count, cents }) => ({ customer, count, total: cents / 100 }));
}

function isValid(transaction) {
  return (
    typeof transaction === 'object' &&
    transaction !== null &&
    typeof transaction.customer === 'string' &&
    transaction.customer !== '' &&
    Number.isFinite(transaction.amount)
  );
}
