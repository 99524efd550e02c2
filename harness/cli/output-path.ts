import { accessSync, constants, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { errorMessage } from '../../domain/codec/error-message';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { badInput } from './cli';

/**
 * The one check of every file or folder a command is asked to write (`--trace-out`, `--html`,
 * `--skeletons`, `--out`, …), made before any work starts so that a bad path costs nothing. It refuses
 * at once, as bad input, what would otherwise fail late or never return: Node 20's recursive
 * `mkdirSync` loops forever on a path such as `/proc/x`, and root may "write" to /proc and /sys.
 */

export type OutputKind = 'file' | 'folder';

/** Kernel file systems: nothing a command writes belongs there. */
const VIRTUAL_ROOTS = ['/proc', '/sys'];
/** Devices: an existing one may be written (`/dev/null`), nothing may be created. */
const DEVICE_ROOT = '/dev';

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`);
}

/** The path's status, or undefined when nothing is there (also when a parent is a file: ENOTDIR). */
function statusOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The nearest existing path at or above `path`, with its status. */
function nearestExisting(path: string): { readonly path: string; readonly status: Stats } {
  let candidate = path;
  for (;;) {
    const status = statusOf(candidate);
    if (status !== undefined) return { path: candidate, status };
    const parent = dirname(candidate);
    // The root always exists; this only guards against a file system without one.
    if (parent === candidate) throw new Error(`nothing exists above ${path}`);
    candidate = parent;
  }
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why `path` cannot be written as `kind`, or undefined when it can (its missing folders then still have to be made). */
function refusalOf(path: string, kind: OutputKind): string | undefined {
  const absolute = resolve(path);
  const target = statusOf(absolute);
  if (target?.isDirectory() === true && kind === 'file') return 'it is a folder, not a file';
  if (target !== undefined && !target.isDirectory() && kind === 'folder') return 'it is a file, not a folder';
  // For a file, only its own folder may be looked at: a file's missing folders are not made for it.
  const { path: existing, status } = kind === 'file' && target === undefined ? nearestExisting(dirname(absolute)) : nearestExisting(absolute);
  if (kind === 'file' && target === undefined && existing !== dirname(absolute)) return `no such folder ${dirname(absolute)}`;
  const real = realpathSync(existing);
  const virtual = VIRTUAL_ROOTS.find((root) => isUnder(real, root));
  if (virtual !== undefined) return `${virtual} is the kernel's virtual file system, not a place for output`;
  if (isUnder(real, DEVICE_ROOT) && !(kind === 'file' && target !== undefined)) return `${DEVICE_ROOT} holds devices, not a place for output`;
  if (!status.isDirectory() && existing !== absolute) return `${existing} is a file, not a folder`;
  if (!isWritable(existing)) return `${existing} is not writable`;
  return undefined;
}

function cannotWrite(flag: string, path: string, reason: string): string {
  return `${flag}: cannot write to ${path}: ${reason}`;
}

/**
 * Checks that `path` (given to `flag`) can be written as a file or a folder, and makes a folder (with
 * its missing parents) ready; a file's folder must exist. `FLAG: cannot write to PATH: reason` when it
 * cannot. Returns `path`.
 */
export function prepareOutput(flag: string, path: string, kind: OutputKind): Either<string, string> {
  if (path.trim() === '') return left(`${flag}: expected a ${kind} path, got nothing`);
  const refusal = refusalOf(path, kind);
  if (refusal !== undefined) return left(cannotWrite(flag, path, refusal));
  if (kind === 'folder') {
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      return left(cannotWrite(flag, path, errorMessage(error)));
    }
  }
  return right(path);
}

/** `prepareOutput` for a command: what it refuses is bad input (exit 2). */
export function preparedOutput(flag: string, path: string, kind: OutputKind): string {
  const prepared = prepareOutput(flag, path, kind);
  if (isLeft(prepared)) throw badInput(prepared.left);
  return prepared.right;
}

/** A folder that only will be read (a recording to replay): it must be there, and nothing is made. */
export function existingFolder(flag: string, path: string): Either<string, string> {
  const status = statusOf(resolve(path));
  if (status === undefined) return left(`${flag}: no such folder ${path}`);
  return status.isDirectory() ? right(path) : left(`${flag}: ${path} is a file, not a folder`);
}
