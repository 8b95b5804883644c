// Modules yeoman-environment imports for features pyrepo's runs never use: installing generators on
// the fly (npm's installer stack: arborist, pacote, sigstore), looking generators up by globbing,
// yo's command-line parsing. pyrepo hands the environment its generator classes itself. Left out
// of the bundles; calling one says so. (yeoman-generator's API, spawnCommand and git included, stays.)
function leftOut(name) {
  return () => {
    throw new Error(`${name} is not part of pyrepo's bundles (see docs/performance.md).`);
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
