import { fromTransition, type AnyActorRef } from 'xstate';
import type { BrainEvent, BrainInput, BrainLogic } from '../../machines/brains/protocol';

/**
 * A brain that never answers: a generated path says what the agent's brain does next, and the path
 * runner delivers it. It counts the notices it is told, which is all an agent owes a brain unasked.
 * Told to crash, it fails as a broken brain does, so the agent's handling of a brain failure is
 * exercised by a real actor error rather than by a forged event.
 */

const CRASH = { type: 'puppet.crash' } as const;

interface PuppetMemory {
  readonly notices: number;
}

export const puppetBrain: BrainLogic = fromTransition(
  (memory: PuppetMemory, event: BrainEvent): PuppetMemory => {
    // The crash order is the runner's, outside the brain protocol, hence a type the protocol does not know.
    if ((event as { type: string }).type === CRASH.type) throw new Error('the puppet brain was told to crash');
    return event.type === 'notified' ? { notices: memory.notices + 1 } : memory;
  },
  (_: { input: BrainInput }): PuppetMemory => ({ notices: 0 }),
);

export function noticesTold(brain: AnyActorRef): number {
  return (brain.getSnapshot().context as PuppetMemory).notices;
}

export function crash(brain: AnyActorRef): void {
  brain.send(CRASH);
}
