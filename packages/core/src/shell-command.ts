import quote from 'shell-quote/quote.js';

/** A command as a person pastes it into a POSIX shell (bash, sh, zsh): each word quoted where it needs to be. */
export function shellCommand(words: readonly string[]): string {
  return quote([...words]);
}

/** A command to run in a folder, whole on one line: `cd <folder> && <command>`. */
export function shellCommandIn(dir: string, words: readonly string[]): string {
  return `cd ${shellCommand([dir])} && ${shellCommand(words)}`;
}
