// execa (~17 ms to load) backs yeoman-generator's spawnCommand/spawn helpers, which built-in
// generators do not call; it loads, synchronously, on the first call (execaSync is synchronous).
import loadExeca from 'lazy-sync:execa';

export const execa = (...args) => loadExeca().execa(...args);
export const execaSync = (...args) => loadExeca().execaSync(...args);
export const execaCommand = (...args) => loadExeca().execaCommand(...args);
export const execaCommandSync = (...args) => loadExeca().execaCommandSync(...args);
