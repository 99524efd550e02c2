// The measurement workload of pipeline (trials-runner.mjs): a batch of support tickets per trial, and
// the two models the pipeline rents, simulated: they know each ticket's true label, do real work in
// proportion to their size, and count the tokens they are billed for.

const TICKETS = 200;
const HARD_SHARE = 0.3;
const PRECISE_MISTAKE_SHARE = 0.06;
const URGENT_SHARE = 0.4;
/** The large model reads each ticket after a long instruction prompt, the small one after a short one. */
const PRECISE = { prompt_tokens: 600, passes_per_character: 300 };
const QUICK = { prompt_tokens: 20, passes_per_character: 8 };
const CONFIDENT = 0.95;
const UNSURE = 0.55;

const WORDS = ['login', 'invoice', 'password', 'export', 'report', 'billing', 'account', 'error', 'page', 'order', 'refund', 'access'];

function otherLabel(label) {
  return label === 'urgent' ? 'routine' : 'urgent';
}

/** A model's reading of a text: a hash computed `passes` times over it, the work the model is paid for. */
function read(text, passes) {
  let hash = 2166136261;
  for (let pass = 0; pass < passes; pass++) {
    for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  }
  return hash >>> 0;
}

function tokensOf(text, model) {
  return model.prompt_tokens + Math.ceil(text.length / 4);
}

/** A batch of tickets, each with its hidden truth: its label, whether it is hard, whether the large model gets it wrong. */
export function prepare({ random }) {
  const truth = new Map();
  const tickets = [];
  for (let number = 0; number < TICKETS; number++) {
    const words = Array.from({ length: 30 + Math.floor(random() * 30) }, () => WORDS[Math.floor(random() * WORDS.length)]);
    const text = `Ticket ${number}: ${words.join(' ')}`;
    truth.set(text, {
      label: random() < URGENT_SHARE ? 'urgent' : 'routine',
      hard: random() < HARD_SHARE,
      precise_mistake: random() < PRECISE_MISTAKE_SHARE,
    });
    tickets.push({ id: `T-${number}`, text });
  }
  const usage = { tokens: 0 };
  const truthOf = (text) => {
    const known = truth.get(text);
    if (known === undefined) throw new Error(`a model was given a text that is no ticket of the batch: ${JSON.stringify(String(text).slice(0, 60))}`);
    return known;
  };
  const models = {
    precise(text) {
      const { label, precise_mistake } = truthOf(text);
      usage.tokens += tokensOf(text, PRECISE);
      read(text, PRECISE.passes_per_character);
      return { label: precise_mistake ? otherLabel(label) : label };
    },
    quick(text) {
      const { label, hard } = truthOf(text);
      usage.tokens += tokensOf(text, QUICK);
      const reading = read(text, QUICK.passes_per_character);
      if (!hard) return { label, confidence: CONFIDENT };
      // A coin toss: one bit from the middle of the reading (its lowest bits follow the text's characters).
      return { label: (reading >>> 16) % 2 === 0 ? label : otherLabel(label), confidence: UNSURE };
    },
  };
  return { tickets, truth, models, usage };
}

export function execute({ pipeline }, { tickets, models }) {
  return pipeline.labelTickets(tickets, models);
}

/** The share of tickets labelled right, in place; the tokens both models were billed for. */
export function assess({ tickets, truth, usage }, labelled) {
  const right = Array.isArray(labelled)
    ? tickets.filter((ticket, index) => labelled[index]?.id === ticket.id && labelled[index].label === truth.get(ticket.text).label).length
    : 0;
  return { score: right / tickets.length, tokens: usage.tokens };
}
