// What the bench scripts share: where things are, the project's variables, listing written files.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const pyrepoBin = join(repoRoot, 'packages', 'cli', 'dist', 'src', 'bin.js');
export const templateDir = join(import.meta.dirname, 'fixtures', 'cookiecutter-wpmedia-django');
/** The cookiecutter template's variables, with the values `pyrepo new wpmedia-django my-app` derives. */
export const variables = { name: 'my-app', package: 'my_app', python: '3.12' };

/** Files under `dir`, relative and sorted, without .git. */
export function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
    .filter(file => !file.startsWith('.git/'))
    .sort();
}
