import * as t from 'io-ts';
import { defineTool, EXECUTING_ONLY, succeeded } from './tool';

/** Hands a piece of work in; what the human makes of it arrives through prompts and rewards. */
export const submit = defineTool({
  name: 'output.submit',
  description:
    'Hand in a piece of work: `content` (text), optionally with the `task` it answers. Answers {accepted: true}; what the human makes of it arrives through prompts and rewards.',
  arguments: t.partial({ content: t.string, task: t.string }),
  phases: EXECUTING_ONLY,
  performer: { by: 'orchestrator', perform: (world) => succeeded(world, [], { accepted: true }) },
});
