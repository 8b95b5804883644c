// simple-git backs yeoman-generator's this.simpleGit, which built-in generators do not use; it
// loads, synchronously, when first used.
import loadSimpleGit from 'lazy-sync:simple-git';

export const simpleGit = (...args) => loadSimpleGit().simpleGit(...args);
// Enums yeoman-generator attaches to the git object: read on use.
export const CheckRepoActions = new Proxy({}, { get: (_, key) => loadSimpleGit().CheckRepoActions[key] });
export const CleanOptions = new Proxy({}, { get: (_, key) => loadSimpleGit().CleanOptions[key] });
