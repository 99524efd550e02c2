import { map, type Either } from 'fp-ts/lib/Either.js';
import { Script } from '../../machines/script';
import { readCompanion } from './companions';
import type { SourceFile } from '../replay/world-from-scenario';

/** A script file, decoded; every problem names the file and the JSON path of the step, e.g. `$.turns[1].actions[0].kind`. */
export function loadScript(file: string): Either<string[], SourceFile<Script>> {
  return map((value: Script) => ({ file, value }))(readCompanion(file, Script));
}
