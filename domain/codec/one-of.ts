/** Whether `text` is one of `names`, narrowing it to their union: for reading a name from outside against a fixed list. */
export function isOneOf<N extends string>(names: readonly N[], text: string): text is N {
  return (names as readonly string[]).includes(text);
}
