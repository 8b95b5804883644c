// The real `yo` 7 binary runs generator-pyrepo: `yo pyrepo` offers the presets,
// `yo pyrepo:<preset>` runs one, `yo pyrepo:<generator>` runs one generator into a repository.
import { existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRequirementsFiles, readTree, runPyrepo } from '@pyrepo/testing';
import { yoSandbox } from './helpers/yo.js';

const yo = yoSandbox();
test.after(() => yo.cleanup());

test('yo --generators lists pyrepo with its presets and generators', () => {
  const result = yo.run(['--generators'], yo.folder('list'));
  assert.is(result.code, 0, result.output);
  for (const name of ['wpmedia-django', 'flask-vendored', 'django', 'docker-dev', 'docker-prod', 'flask', 'pyproject', 'repo', 'requirements', 'setuptools', 'systemd', 'uwsgi', 'vendor', 'venv']) {
    assert.match(result.output, new RegExp(`^ +${name}$`, 'm'));
  }
});

test('yo pyrepo:<name> --help lists the project facts and the options from the schemas', () => {
  const result = yo.run(['pyrepo:pyproject', '--help'], yo.folder('help'));
  assert.is(result.code, 0, result.output);
  for (const flag of ['--yes', '--name', '--package', '--python', '--layout', '--tools', '--line-length']) assert.ok(result.output.includes(flag), flag);
  assert.match(result.output, /--line-length +# Maximum line length for ruff's linter and formatter\. Accepts an integer from 60 to 200\./);
  assert.match(yo.run(['pyrepo:wpmedia-django', '--help'], yo.folder('help-preset')).output, /--test-paths/);
});

test('yo pyrepo:wpmedia-django generates the same repository as pyrepo new', async () => {
  const dir = yo.folder('blog');
  const result = yo.run(['pyrepo:wpmedia-django', '--yes', '--skip-install'], dir);
  assert.is(result.code, 0, result.output);
  assert.match(result.output, /create requirements\/base\.txt/);
  const viaCli = await runPyrepo({ preset: 'wpmedia-django', values: { name: 'blog' } });
  try {
    assert.equal(readTree(dir), viaCli.files());
  } finally {
    viaCli.cleanup();
  }
  assert.equal(parseRequirementsFiles(dir, ['requirements/prod.txt'])['requirements/prod.txt'], ['Django==6.1.3', 'dj-database-url==3.1.2', 'uWSGI==2.0.31']);
});

test('yo pyrepo:<generator> adds one generator to an existing repository, reading its stored facts', () => {
  const dir = yo.folder('existing');
  assert.is(yo.run(['pyrepo:requirements', '--yes', '--name', 'shop', '--layout', 'single'], dir).code, 0);
  const result = yo.run(['pyrepo:pyproject', '--yes', '--line-length', '100'], dir);
  assert.is(result.code, 0, result.output);
  assert.match(result.output, /merge requirements-dev\.txt/, 'the tools go to the development file');
  const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
  assert.match(pyproject, /line-length = 100/);
  assert.match(pyproject, /source = \[ "shop" \]/);
});

test('yo pyrepo:wpmedia-django re-run on an old repository keeps what pyrepo update would keep: a file the user deleted stays deleted, an edited one is left', () => {
  const dir = yo.folder('rerun');
  assert.is(yo.run(['pyrepo:wpmedia-django', '--yes', '--skip-install'], dir).code, 0);
  unlinkSync(join(dir, 'docker-compose.yaml'));
  const ini = join(dir, 'uwsgi.ini');
  const edited = readFileSync(ini, 'utf8').replace(/^harakiri = .*$/m, 'harakiri = 120');
  writeFileSync(ini, edited);
  const rerun = yo.run(['pyrepo:wpmedia-django', '--yes', '--skip-install'], dir);
  assert.match(rerun.output, /kept deleted: docker-compose\.yaml/);
  assert.not.ok(existsSync(join(dir, 'docker-compose.yaml')), 'the deleted file is not written again');
  assert.is(readFileSync(ini, 'utf8'), edited, 'the edited file is left as the user made it');
  assert.is(rerun.code, 3, rerun.output);
});

test('yo reports bad input with exit code 2 and writes nothing', () => {
  const dir = yo.folder('bad');
  const result = yo.run(['pyrepo:wpmedia-django', '--yes', '--name', '../x'], dir);
  assert.is(result.code, 2, result.output);
  assert.match(result.output, /Invalid --name: must be a PEP 508 project name/);
  assert.match(result.output, /fix: pass --name/);
  assert.not.match(result.output, /^\s+at .+:\d+:\d+\)?$/m);
  assert.equal(readdirSync(dir), []);
  const none = yo.run(['pyrepo', '--yes'], dir);
  assert.is(none.code, 2);
  assert.match(none.output, /No preset given[\s\S]*pass --preset <name>; installed: docker-wheels, fastapi-shiv, flask-vendored, venv-systemd, wpmedia-django/);
  const chosen = yo.run(['pyrepo', '--yes', '--preset', 'wpmedia-django', '--name', 'shop', '--skip-install'], dir);
  assert.is(chosen.code, 0, chosen.output);
  assert.match(readFileSync(join(dir, '.yo-rc.json'), 'utf8'), /"name": "shop"/);
});

test('yo pyrepo in a terminal offers the installed presets, then asks for the project facts', async () => {
  const dir = yo.folder('interactive');
  const result = await yo.interactive(['pyrepo', '--skip-install'], dir, [
    [/Which preset\?[\s\S]*docker-wheels[\s\S]*pypackage-docker/, '\x1b[B\x1b[B\x1b[B\x1b[B'],
    [/WP Media's repository preparation/, '\r'],
    [/Project name/, 'Shop_Front\r'],
    [/Python package name[\s\S]*shop_front/, '\r'],
    [/Python version/, '\r'],
  ]);
  assert.is(result.code, 0, result.output);
  const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-pyrepo'];
  assert.equal([stored.project.name, stored.project.package, stored.project.python, stored.preset], ['shop-front', 'shop_front', '3.12', 'wpmedia-django']);
  assert.equal(stored.generators.pyproject, {}, 'the preset decides the tools: not asked, not stored as a choice');
  assert.not.match(result.output, /Which tools/);
});

test.run();
