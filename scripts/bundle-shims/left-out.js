// Modules Yeoman imports for features pyrepo never uses: installing generators on the fly (npm's
// installer stack), looking generators up by globbing, yo's command-line parsing, spawning and git
// helpers of yeoman-generator (built-in generators use node:child_process). Left out of the CLI
// bundle; calling one says so. Generators loaded from packages or paths use their own Yeoman.
function leftOut(name) {
  return () => {
    throw new Error(`${name} is not part of pyrepo's CLI bundle (see docs/performance.md); a generator that needs it must import it itself.`);
  };
}

export class FlyRepository {
  constructor(options = {}) {
    this.repositoryPath = options.repositoryPath;
  }
  install = leftOut('fly-import (installing generators on the fly)');
}
export const flyImport = leftOut('fly-import (installing generators on the fly)');
export const globbySync = leftOut('globby (generator lookup)');
export class Command {
  constructor() {
    leftOut('commander (yo command lines)')();
  }
}
export class Option extends Command {}
export const execa = leftOut('execa (spawnCommand)');
export const execaSync = execa;
export const execaCommand = execa;
export const execaCommandSync = execa;
export const simpleGit = leftOut('simple-git (this.simpleGit, this.git)');
export const CheckRepoActions = {};
export const CleanOptions = {};
