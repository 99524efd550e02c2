import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { decodeWith, formatIssue } from '../../domain/codec/decode';
import { Usage } from '../agents';
import { readLogLines } from '../evaluation';
import { parseJsonText } from '../files';
import type { SeedResult } from './arena-world';

/**
 * An arena's log, JSON Lines like a run's log (harness/evaluation/run-log.ts, whose writer it uses):
 * first an `arena` line with the command line that repeats the arena, then a `seed` line per finished
 * world (written and flushed as it finishes, so that a killed arena loses only the worlds in flight),
 * last a `summary` line. `--resume LOG` runs the seeds the log lacks. A torn last line is ignored;
 * any other bad line is bad input naming the file and the line.
 */

const FocalSeedRecord = t.type({
  agent: t.string,
  seed: t.string,
  cycles_survived: t.number,
  final_balance: t.number,
  credits_rewarded: t.number,
  credits_spent: t.number,
  spent_per_rewarded: t.union([t.number, t.null]),
  windows_won: t.number,
  rank: t.number,
  died_at: t.union([t.number, t.null]),
  faults: t.number,
  fault_reasons: t.array(t.string),
  usage: Usage,
  cost_usd: t.union([t.number, t.null]),
  balance_by_cycle: t.array(t.number),
  transcript: t.array(t.string),
  transcript_omitted: t.number,
});

const GroupSeedRecord = t.type({
  group: t.string,
  policy: t.string,
  seed: t.string,
  count: t.number,
  mean_final_balance: t.number,
  mean_credits_rewarded: t.number,
  best_rank: t.number,
  balance_by_cycle: t.array(t.number),
});

export const SeedResultCodec = t.type({
  seed: t.string,
  cycles_run: t.number,
  agents: t.number,
  focal: t.array(FocalSeedRecord),
  background: t.array(GroupSeedRecord),
  events: t.number,
  trace_sha256: t.string,
});

export const ArenaLine = t.type({
  kind: t.literal('arena'),
  /** The only clock reading of an arena; never in its results. */
  started_at: t.string,
  /** The command line (after `arena.ts`) and the folder it was given in: `--resume` repeats them. */
  args: t.array(t.string),
  cwd: t.string,
  agents: t.array(t.type({ name: t.string, spec: t.string })),
  seeds: t.array(t.string),
  cycles: t.number,
});
export type ArenaLine = t.TypeOf<typeof ArenaLine>;

export const SeedLine = t.type({ kind: t.literal('seed'), result: SeedResultCodec });
export type SeedLine = { readonly kind: 'seed'; readonly result: SeedResult };

export const ArenaSummaryLine = t.type({ kind: t.literal('summary'), summary: t.UnknownRecord });
export type ArenaSummaryLine = t.TypeOf<typeof ArenaSummaryLine>;

export type ArenaLogLine = ArenaLine | SeedLine | ArenaSummaryLine;

export interface ArenaLog {
  readonly file: string;
  readonly arena: ArenaLine;
  readonly seeds: readonly SeedResult[];
  /** The bytes up to the end of the last whole line: an append starts here, cutting a torn line off. */
  readonly wholeBytes: number;
}

export function readArenaLog(file: string): Either<string, ArenaLog> {
  const read = readLogLines(file);
  if (isLeft(read)) return read;
  const { lines, torn, wholeBytes } = read.right;
  let arena: ArenaLine | undefined;
  const seeds: SeedResult[] = [];
  for (const [index, line] of lines.entries()) {
    const where = `${file}:${index + 1}`;
    const parsed = parseJsonText(line);
    if (isLeft(parsed)) return left(`${where}: malformed JSON (${parsed.left}): not an arena log line`);
    const json = parsed.right;
    const kind = (json as { kind?: unknown } | null)?.kind;
    if (index === 0 && kind !== 'arena') return left(`${where}: expected the {"kind":"arena", …} line first, got ${JSON.stringify(kind) ?? 'no kind'}: not an arena log`);
    if (index > 0 && kind === 'arena') return left(`${where}: a second arena line: a log holds one arena`);
    const codec = kind === 'arena' ? ArenaLine : kind === 'seed' ? SeedLine : kind === 'summary' ? ArenaSummaryLine : undefined;
    if (codec === undefined) return left(`${where}: $.kind: expected "arena", "seed" or "summary", got ${JSON.stringify(kind) ?? 'nothing'}`);
    const decoded = decodeWith(codec as t.Decoder<unknown, ArenaLogLine>, json);
    if (isLeft(decoded)) return left(`${where}: ${decoded.left.map(formatIssue).join('; ')}`);
    if (decoded.right.kind === 'arena') arena = decoded.right;
    else if (decoded.right.kind === 'seed') seeds.push(decoded.right.result);
  }
  if (arena === undefined) return left(`${file}:1: expected the {"kind":"arena", …} line first, got ${torn === '' ? 'an empty file' : 'a torn line'}: not an arena log`);
  return right({ file, arena, seeds, wholeBytes });
}
