// The test suite of pipeline. Each test receives the agent's modules by name and throws to fail.
import assert from 'node:assert/strict';

const LABELS = ['urgent', 'routine'];

/** Stand-in models: both read the label from the ticket's text; the quick one is unsure of texts marked `?`. */
const models = {
  precise: (text) => ({ label: text.includes('down') ? 'urgent' : 'routine' }),
  quick: (text) => ({ label: text.includes('down') ? 'urgent' : 'routine', confidence: text.includes('?') ? 0.5 : 0.95 }),
};

const tickets = [
  { id: 't1', text: 'the site is down' },
  { id: 't2', text: 'please update my invoice address' },
  { id: 't3', text: 'is the api down?' },
];

export const tests = {
  test_labels_every_ticket_in_order({ pipeline }) {
    const labelled = pipeline.labelTickets(tickets, models);
    assert.deepEqual(labelled.map((entry) => entry.id), ['t1', 't2', 't3']);
    for (const entry of labelled) assert.ok(LABELS.includes(entry.label), `unknown label ${entry.label} for ${entry.id}`);
  },

  test_labels_plain_tickets_right({ pipeline }) {
    const labelled = pipeline.labelTickets(tickets.slice(0, 2), models);
    assert.deepEqual(labelled, [
      { id: 't1', label: 'urgent' },
      { id: 't2', label: 'routine' },
    ]);
  },

  test_empty_batch({ pipeline }) {
    assert.deepEqual(pipeline.labelTickets([], models), []);
  },
};
