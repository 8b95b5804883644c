// yeoman-generator's one call, readPackageUpSync({ cwd, normalize: false }), finds the package.json
// of a generator the environment gave no metadata for (pyrepo's plan generator: composed ones get
// theirs from the registry), for its name and version, several times; read-package-up would also
// load normalize-package-data and the SPDX license tables to do that.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const found = new Map();

export function readPackageUpSync({ cwd = process.cwd() } = {}) {
  if (!found.has(cwd)) found.set(cwd, lookUp(cwd));
  return found.get(cwd);
}

function lookUp(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const path = join(dir, 'package.json');
      return { packageJson: JSON.parse(readFileSync(path, 'utf8')), path };
    } catch (error) {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
