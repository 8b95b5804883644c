import quote from 'shell-quote/quote.js';

/** Words no POSIX shell reads specially (Python's shlex.quote leaves the same ones bare): `@acme/web`, `--port=8000`. */
const plainWord = /^[\w@%+=:,./-]+$/;

/** A command as a person pastes it into a POSIX shell (bash, sh, zsh): each word quoted where it needs to be. */
export function shellCommand(words: readonly string[]): string {
  return words.map(word => (plainWord.test(word) ? word : quote([word]))).join(' ');
}

/** A command to run in a folder, whole on one line: `cd <folder> && <command>`. */
export function shellCommandIn(dir: string, words: readonly string[]): string {
  return `cd ${shellCommand([dir])} && ${shellCommand(words)}`;
}
