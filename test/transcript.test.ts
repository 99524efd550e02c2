import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatTranscript, ProcessTranscript, secretsOf } from '../harness/agents/transcript';

/** What the log keeps of an agent's exchange: every message in order, each call as written, and never a secret. */

test('secrets: the values of variables named like keys, tokens, secrets or passwords, longest first; nothing else', () => {
  const env = { AGENT_API_KEY: 'sk-short', JUDGE_API_KEY: 'sk-a-longer-one', GITHUB_TOKEN: 'ghp_x1', DB_PASSWORD: 'hunter22', HOME: '/root', PATH: '/usr/bin', EMPTY_KEY: '' };
  assert.equal(secretsOf(env), ['sk-a-longer-one', 'sk-short', 'hunter22', 'ghp_x1']);
});

test('a chat: messages in order, tool calls as the model wrote them, usage per call, failures; every secret removed', () => {
  const transcript = new ChatTranscript('m', ['sk-secret-1']);
  transcript.add({ role: 'system', content: 'be good' });
  transcript.add({ role: 'user', content: 'my key is sk-secret-1' });
  transcript.add(
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'market_bid', arguments: '{"amount": 5, sk-secret-1' } }] },
    { model_calls: 1, input_tokens: 10, output_tokens: 2, total_tokens: 12, replayed_calls: 0, replayed_tokens: 0 },
  );
  transcript.add({ role: 'tool', tool_call_id: 'c1', content: '{"result":"failure"}' });
  transcript.failed('unreachable');
  assert.equal(transcript.transcript, {
    kind: 'chat',
    model: 'm',
    messages: [
      { role: 'system', content: 'be good' },
      { role: 'user', content: 'my key is [secret removed]' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'market_bid', arguments: '{"amount": 5, [secret removed]' }], usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 } },
      { role: 'tool', tool_call_id: 'c1', content: '{"result":"failure"}' },
      { role: 'error', content: 'unreachable' },
    ],
  });
});

test('a process: the lines both ways in order, without their line ends, secrets removed', () => {
  const transcript = new ProcessTranscript('exec', ['hunter22']);
  transcript.add('to_agent', '{"type":"hello"}\n');
  transcript.add('from_agent', '{"kind":"end_turn","note":"hunter22"}');
  assert.equal(transcript.transcript, {
    kind: 'process',
    protocol: 'exec',
    lines: [
      { direction: 'to_agent', text: '{"type":"hello"}' },
      { direction: 'from_agent', text: '{"kind":"end_turn","note":"[secret removed]"}' },
    ],
  });
});

test.run();
