/**
 * The inspector shows snapshots and events as JSON, in which a Map or a Set (the roster, the
 * sleepers, the services) is `{}` and a function is noise. This turns them into plain data: a Map
 * into an object of its entries, a Set into an array, an actor into `{ actor: <its name> }`, a value
 * with `toJSON` (a machine snapshot) into what that gives; functions are left out.
 */

export interface ActorLike {
  readonly sessionId: string;
}

function isActor(value: object): value is ActorLike {
  return typeof (value as { sessionId?: unknown }).sessionId === 'string' && typeof (value as { send?: unknown }).send === 'function';
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

export function readable(value: unknown, nameOf: (actor: ActorLike) => string): unknown {
  const within = new Set<object>();
  const convert = (current: unknown): unknown => {
    if (typeof current === 'function') return undefined;
    if (typeof current !== 'object' || current === null) return current;
    if (isActor(current)) return { actor: nameOf(current) };
    if (within.has(current)) return '[Circular]';
    within.add(current);
    try {
      if (current instanceof Map) return Object.fromEntries([...current].map(([key, entry]) => [String(key), convert(entry)]));
      if (current instanceof Set || Array.isArray(current)) return [...current].map(convert);
      if (hasToJson(current)) return convert(current.toJSON());
      return Object.fromEntries(
        Object.entries(current)
          .filter(([, entry]) => typeof entry !== 'function')
          .map(([key, entry]) => [key, convert(entry)]),
      );
    } finally {
      within.delete(current);
    }
  };
  return convert(value);
}
