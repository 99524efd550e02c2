/**
 * Seeded pseudo-random streams (sfc32), immutable: a draw returns the value and the next stream.
 * A run gets all its randomness from its seed, so the same seed gives the same run on every machine.
 */

export interface RandomStream {
  /** What the stream was seeded with; `fork` derives child streams from it, not from the current state. */
  readonly seed: string;
  readonly state: readonly [number, number, number, number];
}

/** cyrb128: spreads a string of any length over four well-mixed 32-bit words. */
function hashSeed(seed: string): State {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const code = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

type State = [number, number, number, number];

/**
 * One sfc32 step: advances `state` in place and returns its draw in [0, 1). In place, so that a
 * stream's warm-up allocates nothing: two objects for each of its draws were most of what forking
 * 100,000 agents' streams cost.
 */
function advance(state: State): number {
  const a = state[0];
  const b = state[1];
  const c = state[2];
  const d = state[3];
  const t = (((a + b) | 0) + d) | 0;
  state[0] = b ^ (b >>> 9);
  state[1] = (c + (c << 3)) | 0;
  state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
  state[3] = (d + 1) | 0;
  return (t >>> 0) / 4294967296;
}

/** Early sfc32 outputs of similar seeds are correlated; discarding a few decorrelates them. */
const WARM_UP_DRAWS = 12;

export function randomStream(seed: string | number): RandomStream {
  const text = String(seed);
  const state = hashSeed(text);
  for (let i = 0; i < WARM_UP_DRAWS; i++) advance(state);
  return { seed: text, state };
}

/** A uniform draw in [0, 1) and the stream after it. */
export function nextFloat(stream: RandomStream): [number, RandomStream] {
  const state: State = [...stream.state];
  const value = advance(state);
  return [value, { seed: stream.seed, state }];
}

/** A uniform integer in [0, bound) and the stream after it. */
export function nextInt(stream: RandomStream, bound: number): [number, RandomStream] {
  const [value, next] = nextFloat(stream);
  return [Math.floor(value * bound), next];
}

/**
 * An independent stream named `label` under this one. It depends only on the parent's seed and the
 * label, so draws from one stream (one provider, one agent) never shift what another stream draws.
 */
export function fork(stream: RandomStream, label: string): RandomStream {
  return randomStream(`${stream.seed}/${label}`);
}
