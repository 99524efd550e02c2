import type { DomainEvent, Trace } from '../../../domain/economy/events';
import { describeEvent } from '../../validate';
import type { Fact, TextSource } from './rubric';

/**
 * What the agents said, as the rubric judge reads it: the words of each agent-authored event
 * (reasoning and reflections, code proposals, submitted outputs) cut into normalised sentences, and
 * where in them a rubric's fact is stated.
 */

export interface Statement {
  readonly index: number;
  readonly agent: string;
  readonly source: TextSource;
  /** Lower case, white space collapsed, one entry per sentence. */
  readonly sentences: readonly string[];
}

function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Sentences end at a line break or at `.`, `!`, `?`, `;` before a space, so `0.8` stays whole. */
function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|[.!?;](?:\s+|$)/)
    .map(normaliseText)
    .filter((sentence) => sentence !== '');
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** What a diff proposes: the lines a unified diff adds (its context is the old code), or the whole text of any other diff. */
function proposedLines(diff: string): string {
  if (!/^@@ /m.test(diff)) return diff;
  return diff
    .split('\n')
    .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
    .map((line) => line.slice(1))
    .join('\n');
}

function wordsOf(event: DomainEvent): { source: TextSource; parts: unknown[] } | undefined {
  switch (event.type) {
    case 'reasoning_trace': {
      const { content, decision, factors_considered, alternatives_considered } = event.data;
      return { source: 'reasoning', parts: [content, decision, factors_considered, alternatives_considered] };
    }
    case 'reflection':
      return { source: 'reasoning', parts: [event.data.trigger, event.data.outcome_assessment] };
    case 'code_change_proposed': {
      const { change_description, expected_improvement, diff } = event.data;
      return { source: 'code_changes', parts: [change_description, expected_improvement, diff === undefined ? undefined : proposedLines(diff)] };
    }
    case 'tool_call_initiated':
      return event.data.tool_name === 'output.submit' ? { source: 'outputs', parts: [event.data.arguments] } : undefined;
    default:
      return undefined;
  }
}

/** Everything the agents wrote, event by event: the text the facts are looked for in. */
export function statementsOf(trace: Trace): Statement[] {
  return trace.flatMap((event, index) => {
    const words = wordsOf(event);
    if (words === undefined) return [];
    return [{ index, agent: event.agent_id, source: words.source, sentences: stringsIn(words.parts).flatMap(sentencesOf) }];
  });
}

const DIGIT = /\d/;

/** A digit at `position`, or a decimal point or thousands comma that joins digits there. */
function continuesNumber(text: string, position: number, direction: 1 | -1): boolean {
  const next = text.charAt(position);
  if (DIGIT.test(next)) return true;
  return (next === '.' || next === ',') && DIGIT.test(text.charAt(position + direction));
}

/** Does `phrase` occur in `sentence`, not as part of a longer number? */
function containsPhrase(sentence: string, phrase: string): boolean {
  const wanted = normaliseText(phrase);
  for (let at = sentence.indexOf(wanted); at !== -1; at = sentence.indexOf(wanted, at + 1)) {
    const end = at + wanted.length;
    const cutsBefore = DIGIT.test(wanted.charAt(0)) && continuesNumber(sentence, at - 1, -1);
    const cutsAfter = DIGIT.test(wanted.charAt(wanted.length - 1)) && continuesNumber(sentence, end, 1);
    if (!cutsBefore && !cutsAfter) return true;
  }
  return false;
}

/** The first way `fact` is stated in `sentence`, as it reads in a quote. */
function statedAs(fact: Fact, sentence: string): string | undefined {
  for (const wording of fact.any_of ?? []) {
    const phrases = typeof wording === 'string' ? [wording] : wording;
    if (phrases.every((phrase) => containsPhrase(sentence, phrase))) return phrases.map(normaliseText).join(' … ');
  }
  for (const pattern of fact.patterns ?? []) {
    const found = new RegExp(pattern, 'i').exec(sentence);
    if (found !== null) return found[0];
  }
  return undefined;
}

const QUOTE_CHARS = 60;

function quote(text: string): string {
  return `«${text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text}»`;
}

/** Where `fact` is first stated, described for a justification; undefined when it never is. */
export function findFact(fact: Fact, statements: readonly Statement[], trace: Trace): string | undefined {
  for (const statement of statements) {
    for (const sentence of statement.sentences) {
      const stated = statedAs(fact, sentence);
      if (stated !== undefined) return `${fact.fact} (${quote(stated)} at ${describeEvent(trace, statement.index)})`;
    }
  }
  return undefined;
}

