// The floor: a plain Node script that writes the same files as `pyrepo new wpmedia-django` (the
// cookiecutter template's files with its variables filled in), as fast as Node can.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { templateDir, variables } from './shared.mjs';

const templateRoot = join(templateDir, '{{cookiecutter.name}}');
const render = text => text.replace(/\{\{cookiecutter\.(\w+)\}\}/g, (_, key) => variables[key]);
const target = process.argv[2];
for (const entry of readdirSync(templateRoot, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const source = join(entry.parentPath, entry.name);
  const destination = join(target, render(relative(templateRoot, source)));
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, render(readFileSync(source, 'utf8')));
}
