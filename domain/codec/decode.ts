import * as t from 'io-ts';
import { isLeft, type Either } from 'fp-ts/lib/Either.js';

/** One decode problem: where (a JSON path from the document root), what was expected, what was found. */
export interface DecodeIssue {
  readonly path: string;
  readonly expected: string;
  readonly actual: unknown;
}

/** Codecs that put a member index, not a place in the document, in the key of their members' errors. */
function isTransparent(codec: t.Decoder<unknown, unknown>): boolean {
  return codec instanceof t.IntersectionType || codec instanceof t.UnionType;
}

function pathOf(error: t.ValidationError, root: string): string {
  let path = root;
  error.context.forEach((entry, index) => {
    if (index === 0) return;
    const parent = error.context[index - 1]!.type;
    // Intersections and unions put the member index in the key; it is not a place in the document.
    if (isTransparent(parent)) return;
    path += /^\d+$/.test(entry.key) ? `[${entry.key}]` : `.${entry.key}`;
  });
  return path;
}

function expectedOf(error: t.ValidationError): string {
  return error.message ?? error.context[error.context.length - 1]?.type.name ?? 'a valid value';
}

/** Groups io-ts errors by path so that a union's branches read as one "expected A or B". */
export function decodeIssues(errors: t.Errors, root = '$'): DecodeIssue[] {
  const byPath = new Map<string, { expected: Set<string>; actual: unknown }>();
  for (const error of errors) {
    const path = pathOf(error, root);
    const entry = byPath.get(path) ?? { expected: new Set<string>(), actual: error.value };
    entry.expected.add(expectedOf(error));
    byPath.set(path, entry);
  }
  return [...byPath].map(([path, { expected, actual }]) => ({ path, expected: [...expected].join(' or '), actual }));
}

export function describeActual(actual: unknown): string {
  if (actual === undefined) return 'nothing';
  const text = JSON.stringify(actual);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function formatIssue(issue: DecodeIssue): string {
  return `${issue.path}: expected ${issue.expected}, got ${describeActual(issue.actual)}`;
}

/** Decodes and, on failure, returns the issues instead of io-ts' raw error tree. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, input: unknown, root = '$'): Either<DecodeIssue[], A> {
  const result = codec.decode(input);
  return isLeft(result) ? { _tag: 'Left', left: decodeIssues(result.left, root) } : result;
}

/** Gathers the problems of several decodes, so that one bad field does not hide the next. */
export class Problems {
  readonly list: string[] = [];

  /** The value, or `fallback` after recording why it could not be had. */
  take<A>(result: Either<string[], A>, fallback: A): A {
    if (isLeft(result)) {
      this.list.push(...result.left);
      return fallback;
    }
    return result.right;
  }
}

/**
 * Validates `u` against several codecs at the same place in the document and merges their results,
 * where an io-ts intersection would insert its member index into every error path.
 */
export function validateAll<A>(codecs: readonly t.Decoder<unknown, unknown>[], u: unknown, context: t.Context): t.Validation<A> {
  const errors = codecs.flatMap((codec) => {
    const result = codec.validate(u, context);
    return result._tag === 'Left' ? result.left : [];
  });
  return errors.length > 0 ? t.failures(errors) : t.success(u as A);
}

/** The codec `strictObject` builds; its tag and props let a reader of codecs (a JSON Schema writer) see its keys. */
export class StrictObjectType<R extends t.Props, O extends t.Props, A, Output> extends t.Type<A, Output, unknown> {
  readonly _tag = 'StrictObjectType' as const;
  constructor(
    name: string,
    readonly required: R,
    readonly optional: O,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, Output>,
  ) {
    super(name, is, validate, encode);
  }
}

/**
 * An object codec that, unlike io-ts' own, reports keys it does not know: a typo in a scenario must
 * be an error, not a silently ignored field.
 */
export function strictObject<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) {
  const shape = t.intersection([t.type(required), t.partial(optional)]);
  type Shape = t.TypeOf<typeof shape>;
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  const expectation = `no other key (known keys: ${[...known].join(', ')})`;
  const rejectUnknownKeys = new t.Type<unknown>(
    'KnownKeys',
    t.unknown.is,
    (u, context) => {
      const record = u as Record<string, unknown>;
      const unknownKeys = Object.keys(record).filter((key) => !known.has(key));
      if (unknownKeys.length === 0) return t.success(u);
      return t.failures(
        unknownKeys.map((key) => ({
          value: record[key],
          context: [...context, { key, type: t.never, actual: record[key] }],
          message: expectation,
        })),
      );
    },
    t.identity,
  );
  return new StrictObjectType<R, O, Shape, t.OutputOf<typeof shape>>(
    name,
    required,
    optional,
    (u): u is Shape => shape.is(u) && Object.keys(u).every((key) => known.has(key)),
    (u, context) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, context, `an object (${name})`);
      return validateAll<Shape>([t.type(required), t.partial(optional), rejectUnknownKeys], u, context);
    },
    shape.encode,
  );
}
