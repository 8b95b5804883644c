// Rebuilds fixtures/cookiecutter-wpmedia-django from what `pyrepo new wpmedia-django` writes now:
// the same files, with the project's name, package and Python version as cookiecutter variables.
// Run after a change to the preset's output (the bench refuses a template whose files differ).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listFiles, pyrepoBin, templateDir, variables } from './shared.mjs';

const work = mkdtempSync(join(tmpdir(), 'pyrepo-bench-template-'));
const target = join(work, variables.name);
const result = spawnSync(process.execPath, [pyrepoBin, 'new', 'wpmedia-django', target, '--yes', '--skip-install'], { encoding: 'utf8' });
if (result.status !== 0) throw new Error(`pyrepo new failed:\n${result.stderr}`);

const toTemplate = text =>
  text.replaceAll(variables.package, '{{cookiecutter.package}}').replaceAll(variables.name, '{{cookiecutter.name}}').replaceAll(variables.python, '{{cookiecutter.python}}');
rmSync(templateDir, { recursive: true, force: true });
for (const file of listFiles(target)) {
  const destination = join(templateDir, '{{cookiecutter.name}}', toTemplate(file));
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, toTemplate(readFileSync(join(target, file), 'utf8')));
}
writeFileSync(join(templateDir, 'cookiecutter.json'), `${JSON.stringify(variables, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
console.log(`wrote ${templateDir}`);
