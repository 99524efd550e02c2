import * as t from 'io-ts';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Usage } from './usage';

/**
 * What an agent under test was told and answered in one scenario run, as its log keeps it for the
 * viewer's transcript: for a model, its conversation (every message in order, each tool call with its
 * arguments as the model wrote them, each result, the tokens of each call, a call that failed); for an
 * agent that is a process, the lines exchanged with it. The trace stays the domain's events; this is
 * the agent's side. Every value of a secret the harness holds is replaced before it is kept.
 */

const CallUsage = t.type({ input_tokens: t.number, output_tokens: t.number, total_tokens: t.number });

const ToolCall = t.type({ id: t.string, name: t.string, arguments: t.string });

export const ChatEntry = t.union([
  t.intersection([
    t.type({ role: t.keyof({ system: null, user: null, assistant: null }), content: t.string }),
    t.partial({ tool_calls: t.array(ToolCall), usage: CallUsage }),
  ]),
  t.type({ role: t.literal('tool'), tool_call_id: t.string, content: t.string }),
  /** A model call that gave no answer: the turn ended with this reason. */
  t.type({ role: t.literal('error'), content: t.string }),
]);
export type ChatEntry = t.TypeOf<typeof ChatEntry>;

export const ProcessLine = t.type({ direction: t.keyof({ to_agent: null, from_agent: null }), text: t.string });
export type ProcessLine = t.TypeOf<typeof ProcessLine>;

export const Transcript = t.union([
  t.type({ kind: t.literal('chat'), model: t.string, messages: t.array(ChatEntry) }),
  t.type({ kind: t.literal('process'), protocol: t.keyof({ exec: null, mcp: null }), lines: t.array(ProcessLine) }),
]);
export type Transcript = t.TypeOf<typeof Transcript>;

/** The values of the environment that may be secrets (API keys, tokens, passwords), longest first. */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .flatMap(([name, value]) => (/KEY|TOKEN|SECRET|PASSWORD/i.test(name) && value !== undefined && value.length >= 4 ? [value] : []))
    .sort((a, b) => b.length - a.length);
}

function redacted(text: string, secrets: readonly string[]): string {
  return secrets.reduce((kept, secret) => kept.split(secret).join('[secret removed]'), text);
}

function textOf(content: ChatCompletionMessageParam['content']): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => ('text' in part ? part.text : `[${part.type}]`)).join('');
}

/** A model's conversation as it is held: messages are added as the brain sends and receives them. */
export class ChatTranscript {
  private readonly messages: ChatEntry[] = [];

  constructor(
    private readonly model: string,
    private readonly secrets: readonly string[],
  ) {}

  add(message: ChatCompletionMessageParam, usage?: Usage): void {
    const clean = (text: string) => redacted(text, this.secrets);
    if (message.role === 'tool') {
      this.messages.push({ role: 'tool', tool_call_id: message.tool_call_id, content: clean(textOf(message.content)) });
      return;
    }
    if (message.role !== 'system' && message.role !== 'user' && message.role !== 'assistant') return;
    const calls = message.role === 'assistant' ? (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : [])) : [];
    this.messages.push({
      role: message.role,
      content: clean(textOf(message.content)),
      ...(calls.length === 0 ? {} : { tool_calls: calls.map((call) => ({ id: call.id, name: call.function.name, arguments: clean(call.function.arguments) })) }),
      ...(usage === undefined ? {} : { usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens, total_tokens: usage.total_tokens } }),
    });
  }

  failed(reason: string): void {
    this.messages.push({ role: 'error', content: redacted(reason, this.secrets) });
  }

  get transcript(): Transcript {
    return { kind: 'chat', model: this.model, messages: [...this.messages] };
  }
}

/** The lines exchanged with an agent process, in the order they were written and read. */
export class ProcessTranscript {
  private readonly lines: ProcessLine[] = [];

  constructor(
    private readonly protocol: 'exec' | 'mcp',
    private readonly secrets: readonly string[],
  ) {}

  add(direction: ProcessLine['direction'], text: string): void {
    this.lines.push({ direction, text: redacted(text.replace(/\n$/, ''), this.secrets) });
  }

  get transcript(): Transcript {
    return { kind: 'process', protocol: this.protocol, lines: [...this.lines] };
  }
}
