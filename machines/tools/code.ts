import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { emission } from '../event-bus';
import type { CodeWorkspace } from '../world/config';
import type { ToolCallRequest, WorldState } from '../world/state';
import { defineTool, EXECUTING_ONLY, failed, refused, succeeded, type Perform, type ToolEffect } from './tool';

/** Self-improvement tools act on the configured workspace; without one they fail with `no_workspace`. */
function inWorkspace<A>(tool: (world: WorldState, args: A, call: ToolCallRequest, workspace: CodeWorkspace) => ToolEffect): Perform<A> {
  return (world, args, call, env) => (env.workspace === undefined ? refused(world, 'no_workspace') : tool(world, args, call, env.workspace));
}

export const propose = defineTool({
  name: 'code.propose',
  description:
    'Propose a change to the workspace module `target_module`, described by `change_description`, optionally with a unified `diff` of the module and the `expected_improvement`; nothing changes until it is applied. Answers {change_id}.',
  arguments: t.intersection([
    t.type({ target_module: t.string, change_description: t.string }),
    t.partial({ diff: t.string, expected_improvement: t.string }),
  ]),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    reachesOutside: true,
    perform: inWorkspace((world, proposal, { agent_id }, workspace) => {
      const proposed = workspace.propose({ agent_id, ...proposal });
      if (isLeft(proposed)) return failed(world, proposed.left);
      const { change_id } = proposed.right;
      return succeeded(world, [emission('code_change_proposed', agent_id, { ...proposal, change_id })], { change_id });
    }),
  },
});

export const apply = defineTool({
  name: 'code.apply',
  description:
    "Apply the proposed change `change_id` (its diff) to the workspace. Answers {change_id, target_module} and, when the workspace ran tests on applying, test_results and tests_run.",
  arguments: t.type({ change_id: t.string }),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    reachesOutside: true,
    perform: inWorkspace((world, { change_id }, { agent_id }, workspace) => {
      const applied = workspace.apply({ agent_id, change_id });
      if (isLeft(applied)) return failed(world, applied.left);
      return succeeded(world, [emission('code_change_applied', agent_id, { change_id, ...applied.right })], { change_id, ...applied.right });
    }),
  },
});

export const runTests = defineTool({
  name: 'test.run',
  description:
    "Run the workspace's tests: all of them, or only those named in `tests` (optional list of test names). Answers {test_results: all_passed | some_failed, failed_tests}.",
  arguments: t.partial({ tests: t.array(t.string) }),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    reachesOutside: true,
    perform: inWorkspace((world, { tests }, { agent_id }, workspace) => {
      const run = workspace.runTests(tests === undefined ? { agent_id } : { agent_id, tests });
      if (isLeft(run)) return failed(world, run.left);
      return succeeded(world, [], run.right, run.right);
    }),
  },
});
