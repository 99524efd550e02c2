/** What the rest of the harness may use of files/: everything else in the folder is its own. */
export { decodeJsonText, parseJsonText, readJsonFile, readText, type SourceFile } from './json-file';
