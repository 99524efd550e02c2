import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { emission } from '../event-bus';
import type { CodeWorkspace } from '../world/config';
import type { ToolCallRequest, ToolEnvironment, WorldState } from '../world/state';
import { failed, succeeded, withArguments, type Tool, type ToolEffect } from './tool';

/** Self-improvement tools act on the configured workspace; without one they fail with `no_workspace`. */
function withWorkspace<A>(
  codec: t.Decoder<unknown, A>,
  tool: (world: WorldState, args: A, call: ToolCallRequest, workspace: CodeWorkspace) => ToolEffect,
): Tool {
  return withArguments(codec, (world, args, call, env: ToolEnvironment) =>
    env.workspace === undefined ? failed(world, 'no_workspace') : tool(world, args, call, env.workspace),
  );
}

const Proposal = t.intersection([
  t.type({ target_module: t.string, change_description: t.string }),
  t.partial({ diff: t.string, expected_improvement: t.string }),
]);

export const propose: Tool = withWorkspace(Proposal, (world, proposal, { agent_id }, workspace) => {
  const proposed = workspace.propose({ agent_id, ...proposal });
  if (isLeft(proposed)) return failed(world, proposed.left);
  const { change_id } = proposed.right;
  return succeeded(world, [emission('code_change_proposed', agent_id, { ...proposal, change_id })], { change_id });
});

export const apply: Tool = withWorkspace(t.type({ change_id: t.string }), (world, { change_id }, { agent_id }, workspace) => {
  const applied = workspace.apply({ agent_id, change_id });
  if (isLeft(applied)) return failed(world, applied.left);
  return succeeded(world, [emission('code_change_applied', agent_id, { change_id, ...applied.right })], { change_id, ...applied.right });
});

export const runTests: Tool = withWorkspace(t.partial({ tests: t.array(t.string) }), (world, { tests }, { agent_id }, workspace) => {
  const run = workspace.runTests(tests === undefined ? { agent_id } : { agent_id, tests });
  if (isLeft(run)) return failed(world, run.left);
  return succeeded(world, [], run.right, run.right);
});
