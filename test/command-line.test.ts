import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitCommandLine } from '../harness/agents/command-line';

const words = (text: string) => splitCommandLine(text);

test('words split on blanks, as a shell splits them', () => {
  assert.equal(words('  python3   agent.py --fast '), { _tag: 'Right', right: ['python3', 'agent.py', '--fast'] });
});

test('quotes keep blanks; single quotes keep everything; double quotes let a backslash escape a quote', () => {
  assert.equal(words(`node "my agent.mjs" 'a "b" $HOME' "say \\"hi\\" \\n" ''`), {
    _tag: 'Right',
    right: ['node', 'my agent.mjs', 'a "b" $HOME', 'say "hi" \\n', ''],
  });
  assert.equal(words('a\\ b c'), { _tag: 'Right', right: ['a b', 'c'] });
  assert.equal(words(`x'y'"z"`), { _tag: 'Right', right: ['xyz'] });
});

test('an unclosed quote, a trailing backslash or nothing at all is an error', () => {
  assert.equal(words(`node 'agent.mjs`), { _tag: 'Left', left: 'the command line has an unclosed single quote' });
  assert.equal(words(`node "agent.mjs`), { _tag: 'Left', left: 'the command line has an unclosed double quote' });
  assert.equal(words('node \\'), { _tag: 'Left', left: 'the command line ends with a lone backslash' });
  assert.equal(words('   '), { _tag: 'Left', left: 'the command line is empty' });
});

test.run();
