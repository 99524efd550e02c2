import type { ChatEntry, ProcessLine, Transcript } from '../../agents';
import { h } from './dom';
import { count } from './format';

/**
 * What the agent was told and what it did, in order. For a model: the system prompt, then each turn —
 * the harness's message with the observation, the model's replies with their tokens, each tool call
 * with its arguments as the model wrote them and its result right under it (a failed call's reason,
 * a call not performed and why, in words). Turns in which the model answered exactly as in the turn
 * before are folded into one line that opens to show them. For an agent process: the lines exchanged.
 */

type Turn = { readonly opening?: { readonly content: string }; readonly replies: ChatEntry[] };

function turnsOf(messages: readonly ChatEntry[]): { system?: string; turns: Turn[] } {
  let system: string | undefined;
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === 'system') system = message.content;
    else if (message.role === 'user' && message.content.startsWith('Cycle ')) turns.push({ opening: message, replies: [] });
    else if (turns.length === 0) turns.push({ replies: [message] });
    else turns.at(-1)!.replies.push(message);
  }
  return { system, turns };
}

/** What the model did in a turn, without the call ids and tokens that differ every time. */
function signatureOf(turn: Turn): string {
  return JSON.stringify(
    turn.replies.map((message) =>
      message.role === 'assistant'
        ? { text: message.content, calls: (message.tool_calls ?? []).map((call) => [call.name, call.arguments]) }
        : message.role === 'tool'
          ? { result: message.content }
          : message,
    ),
  );
}

interface ToolResult {
  readonly result?: string;
  readonly reason?: string;
}

function parsedResult(content: string): ToolResult {
  try {
    const value = JSON.parse(content) as unknown;
    return typeof value === 'object' && value !== null ? (value as ToolResult) : {};
  } catch {
    return {};
  }
}

const STATUS: Record<string, { label: string; kind: string }> = {
  failure: { label: '✗ failed', kind: 'failed' },
  not_performed: { label: '⊘ not performed', kind: 'skipped' },
  turn_ended: { label: '■ turn ended', kind: 'neutral' },
  recorded: { label: '✓ recorded', kind: 'ok' },
  success: { label: '✓ performed', kind: 'ok' },
};

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function callView(call: { id: string; name: string; arguments: string }, result: string | undefined): HTMLElement {
  const parsed = result === undefined ? {} : parsedResult(result);
  const status = result === undefined ? { label: 'no result sent back: the run ended first', kind: 'neutral' } : (STATUS[parsed.result ?? 'success'] ?? { label: parsed.result ?? '', kind: 'neutral' });
  return h(
    'div',
    { class: `call ${status.kind}`, 'data-call': call.id },
    h('div', { class: 'call-head' }, h('code', { class: 'fn' }, call.name), h('span', { class: `call-status ${status.kind}` }, status.label), parsed.reason === undefined ? null : h('span', { class: 'reason' }, parsed.reason)),
    h('div', { class: 'kv' }, h('span', { class: 'label' }, 'arguments'), h('pre', { class: 'arguments' }, prettyArguments(call.arguments))),
    result === undefined ? null : h('div', { class: 'kv' }, h('span', { class: 'label' }, 'result'), h('pre', { class: 'result' }, result)),
  );
}

interface Results {
  /** A call's result by its call id. */
  readonly byCall: ReadonlyMap<string, string>;
  /** The calls whose result is shown under the call, not again on its own. */
  readonly underTheirCall: ReadonlySet<string>;
}

function replyView(message: ChatEntry, results: Results): HTMLElement | null {
  if (message.role === 'tool') return results.underTheirCall.has(message.tool_call_id) ? null : h('div', { class: 'msg tool' }, h('div', { class: 'who' }, `result of ${message.tool_call_id}`), h('pre', null, message.content));
  if (message.role === 'error') return h('div', { class: 'msg error' }, h('div', { class: 'who' }, 'model call failed'), h('pre', null, message.content));
  if (message.role === 'user') return h('div', { class: 'msg user' }, h('div', { class: 'who' }, 'harness → model'), h('pre', null, message.content));
  if (message.role === 'system') return null;
  const usage = message.usage === undefined ? null : h('span', { class: 'usage' }, `${count(message.usage.input_tokens)} in · ${count(message.usage.output_tokens)} out tokens`);
  return h(
    'div',
    { class: 'msg assistant' },
    h('div', { class: 'who' }, 'model', usage),
    message.content.trim() === '' ? null : h('div', { class: 'text' }, message.content),
    (message.tool_calls ?? []).map((call) => callView(call, results.byCall.get(call.id))),
  );
}

/** A turn's replies in exchanges: each model reply with the messages that follow it before the next. */
function exchangesOf(replies: readonly ChatEntry[]): ChatEntry[][] {
  const exchanges: ChatEntry[][] = [];
  for (const reply of replies) {
    if (reply.role === 'assistant' || exchanges.length === 0) exchanges.push([reply]);
    else exchanges.at(-1)!.push(reply);
  }
  return exchanges;
}

function turnView(turn: Turn, results: Results): HTMLElement {
  const heading = turn.opening?.content.split('\n')[0] ?? 'Before the first turn';
  const exchanges = exchangesOf(turn.replies);
  const blocks: (HTMLElement | null)[] = [];
  // A model that answers the same again and again (the same calls, the same refusals) is shown once, the rest folded.
  for (let index = 0; index < exchanges.length; ) {
    const signature = signatureOf({ replies: exchanges[index]! });
    let end = index + 1;
    while (end < exchanges.length && signatureOf({ replies: exchanges[end]! }) === signature) end += 1;
    blocks.push(...exchanges[index]!.map((reply) => replyView(reply, results)));
    const repeats = exchanges.slice(index + 1, end);
    if (repeats.length > 0) {
      blocks.push(
        h(
          'details',
          { class: 'repeats' },
          h('summary', null, `${repeats.length} more repl${repeats.length === 1 ? 'y' : 'ies'} in which the model did exactly the same and got the same answer`),
          repeats.flat().map((reply) => replyView(reply, results)),
        ),
      );
    }
    index = end;
  }
  return h(
    'section',
    { class: 'turn' },
    h('h4', null, heading),
    turn.opening === undefined ? null : h('div', { class: 'msg user' }, h('div', { class: 'who' }, 'harness → model'), h('pre', null, turn.opening.content.split('\n').slice(1).join('\n'))),
    blocks,
  );
}

function chatView(messages: readonly ChatEntry[], model: string): HTMLElement {
  const byCall = new Map(messages.flatMap((message) => (message.role === 'tool' ? [[message.tool_call_id, message.content] as const] : [])));
  const called = messages.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []).map((call) => call.id) : []));
  const results: Results = { byCall, underTheirCall: new Set(called.filter((id) => byCall.has(id))) };
  const { system, turns } = turnsOf(messages);
  const blocks: HTMLElement[] = [];
  for (let index = 0; index < turns.length; ) {
    const turn = turns[index]!;
    blocks.push(turnView(turn, results));
    let end = index + 1;
    while (end < turns.length && signatureOf(turns[end]!) === signatureOf(turn)) end += 1;
    const repeats = turns.slice(index + 1, end);
    if (repeats.length > 0) {
      const first = repeats[0]!.opening?.content.split('\n')[0] ?? '';
      const last = repeats.at(-1)!.opening?.content.split('\n')[0] ?? '';
      blocks.push(
        h('details', { class: 'repeats' }, h('summary', null, `${repeats.length} more turn${repeats.length === 1 ? '' : 's'} in which the model answered exactly the same (${first.replace(/:.*/, '')} … ${last.replace(/:.*/, '')})`), repeats.map((repeat) => turnView(repeat, results))),
      );
    }
    index = end;
  }
  const calls = messages.filter((message) => message.role === 'assistant').length;
  return h(
    'div',
    { class: 'transcript chat' },
    h('p', { class: 'muted' }, `The conversation with ${model}: ${calls} model call${calls === 1 ? '' : 's'} in ${turns.length} turn${turns.length === 1 ? '' : 's'}.`),
    system === undefined ? null : h('details', { class: 'system' }, h('summary', null, `System prompt (${count(system.length)} characters)`), h('pre', null, system)),
    blocks,
  );
}

function processView(protocol: string, lines: readonly ProcessLine[]): HTMLElement {
  return h(
    'div',
    { class: 'transcript process' },
    h('p', { class: 'muted' }, `The ${protocol === 'mcp' ? 'MCP tool calls of the agent process and their answers' : 'brain-protocol lines exchanged with the agent process'}: ${lines.length}.`),
    h(
      'table',
      { class: 'data lines' },
      h('tbody', null, lines.map((line) => h('tr', { class: line.direction }, h('td', { class: 'direction' }, line.direction === 'to_agent' ? 'harness → agent' : 'agent → harness'), h('td', null, h('pre', null, line.text))))),
    ),
  );
}

export function transcriptView(transcript: Transcript | undefined): HTMLElement {
  if (transcript === undefined) return h('p', { class: 'muted' }, 'No transcript: the agent under test was driven by its script (or the log predates transcripts).');
  return transcript.kind === 'chat' ? chatView(transcript.messages, transcript.model) : processView(transcript.protocol, transcript.lines);
}
