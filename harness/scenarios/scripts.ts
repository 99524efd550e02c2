import { map, type Either } from 'fp-ts/lib/Either.js';
import { Script } from '../../machines/script';
import { readJsonFile, type SourceFile } from './json-file';

/** A script file, decoded; every problem names the file and the JSON path of the step, e.g. `$.turns[1].actions[0].kind`. */
export function loadScript(file: string): Either<string[], SourceFile<Script>> {
  return map((value: Script) => ({ file, value }))(readJsonFile(file, Script));
}
