import { left, right, type Either } from 'fp-ts/lib/Either.js';

/**
 * Splits a command line into words as a POSIX shell would, without running one: blanks separate
 * words; single quotes keep everything literally; double quotes keep blanks and let a backslash escape
 * `"`, `\`, `$` and a backquote; a backslash outside quotes escapes the next character. Nothing is
 * expanded (no variables, globs or `~`), so a word is exactly what the user typed.
 */
export function splitCommandLine(text: string): Either<string, string[]> {
  const words: string[] = [];
  let word = '';
  /** A word exists once something was typed for it, even `''`. */
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && index + 1 < text.length && '"\\$`'.includes(text[index + 1]!)) word += text[++index];
      else word += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (started) words.push(word);
      word = '';
      started = false;
      continue;
    }
    started = true;
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\') {
      if (index + 1 === text.length) return left('the command line ends with a lone backslash');
      word += text[++index];
    } else word += char;
  }
  if (quote !== undefined) return left(`the command line has an unclosed ${quote === "'" ? 'single' : 'double'} quote`);
  if (started) words.push(word);
  if (words.length === 0) return left('the command line is empty');
  return right(words);
}
