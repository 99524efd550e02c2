// The measurement workload of data_processing (trials-runner.mjs): one day of transactions per trial.

const TRANSACTIONS = 10_000;
const CUSTOMERS = 2_500;
const LARGEST_AMOUNT_CENTS = 20_000;
const REFUND_CENTS = 2_000;

/**
 * A day of transactions, and the report it must give. Regular customers buy more often than occasional
 * ones (a customer's number is the square of a uniform draw, scaled), as in real sales data. The expected
 * report is built alongside, from the customer numbers.
 */
export function prepare({ random }) {
  const counts = new Array(CUSTOMERS).fill(0);
  const cents = new Array(CUSTOMERS).fill(0);
  const firstSeen = [];
  const transactions = [];
  for (let index = 0; index < TRANSACTIONS; index++) {
    const customer = Math.floor(CUSTOMERS * random() ** 2);
    const amountCents = Math.floor(random() * LARGEST_AMOUNT_CENTS) - REFUND_CENTS;
    if (counts[customer] === 0) firstSeen.push(customer);
    counts[customer] += 1;
    cents[customer] += amountCents;
    transactions.push({ customer: customerId(customer), amount: amountCents / 100 });
  }
  const expected = firstSeen
    .sort((a, b) => cents[b] - cents[a])
    .map((customer) => ({ customer: customerId(customer), count: counts[customer], total: cents[customer] / 100 }));
  return { transactions, expected };
}

function customerId(number) {
  return `C-${100_000 + number}`;
}

export function execute({ data_processing }, { transactions }) {
  return data_processing.summarize(transactions);
}

/** The share of report rows that are exactly right and in the right place. */
export function assess({ expected }, report) {
  if (!Array.isArray(report)) return { score: 0 };
  const matching = expected.filter((row, index) => {
    const given = report[index];
    return given?.customer === row.customer && given.count === row.count && given.total === row.total;
  });
  return { score: matching.length / Math.max(expected.length, report.length) };
}
