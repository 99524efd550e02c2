import { applyPatch, parsePatch, type StructuredPatch } from 'diff';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorMessage } from '../../domain/codec/error-message';

/**
 * Unified diffs against one module file. A diff names its file in the `---`/`+++` headers, with or
 * without git's `a/` and `b/` prefixes; it must patch exactly the module it is proposed for.
 */

function withoutGitPrefix(fileName: string | undefined): string | undefined {
  return fileName?.replace(/^[ab]\//, '');
}

/** The one file patch of `diff`, checked to target `moduleFile` (a file name, e.g. `data_processing.mjs`). */
export function parseModulePatch(diff: string, moduleFile: string): Either<string, StructuredPatch> {
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(diff);
  } catch (error) {
    return left(`the diff does not parse: ${errorMessage(error)}`);
  }
  const [patch, ...others] = patches;
  if (patch === undefined || patch.hunks.length === 0) return left('the diff has no hunks (expected a unified diff with @@ … @@ hunks)');
  if (others.length > 0) return left(`the diff patches ${patches.length} files; a change patches one module`);
  const named = [withoutGitPrefix(patch.oldFileName), withoutGitPrefix(patch.newFileName)];
  const foreign = named.find((name) => name !== undefined && name !== moduleFile);
  if (foreign !== undefined) return left(`the diff patches ${foreign}, expected ${moduleFile}`);
  return right(patch);
}

function hunkHeader({ oldStart, oldLines, newStart, newLines }: StructuredPatch['hunks'][number]): string {
  return `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`;
}

/** `text` with `patch` applied; Left naming the first hunk whose context or removed lines are not in the text. */
export function applyModulePatch(text: string, patch: StructuredPatch, moduleFile: string): Either<string, string> {
  const patched = applyPatch(text, patch);
  if (patched !== false) return right(patched);
  const failing = patch.hunks.findIndex((_, index) => applyPatch(text, { ...patch, hunks: patch.hunks.slice(0, index + 1) }) === false);
  const hunk = patch.hunks[failing];
  const which = hunk === undefined ? 'a hunk' : `hunk ${failing + 1} (${hunkHeader(hunk)})`;
  return left(`the diff does not apply to the current ${moduleFile}: ${which} does not match its text (context or removed lines differ)`);
}
