// A team's own packages, end to end through the real CLI: `pyrepo init` scaffolds a preset and a
// generator whose own tests pass; installed in a project's node_modules they are found by short
// and full names, listed with their source and folder, composed once trusted (--trust; see
// test/trust.test.ts for the boundary itself: a preset that replaces an inherited generator and
// shadows another's template); and a package built for another core, or broken, is refused with
// its name and the problem while `pyrepo list` goes on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkGeneratorSchema, checkPresetFile, coreVersion } from '@pyrepo/core/host';
import { pyrepo, workspaceTempDir } from './helpers/cli.js';

// Each test makes its own folder inside the workspace, so the scaffolds' tests find
// @pyrepo/testing and uvu as an installed package would; no test depends on another's files.
const made: string[] = [];
const workFolder = () => {
  const dir = workspaceTempDir('team-');
  made.push(dir);
  return dir;
};
test.after(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })));

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Install a package folder into the project's node_modules, as `npm install` would (a link). */
function install(project: string, dir: string, packageName: string): void {
  mkdirSync(join(project, 'node_modules', packageName, '..'), { recursive: true });
  symlinkSync(dir, join(project, 'node_modules', packageName));
}

/** A team's generator and preset, scaffolded by pyrepo init, installed in a new project. */
function teamPackages(): { work: string; sentry: string; web: string; project: string } {
  const work = workFolder();
  const [sentry, web, project] = ['sentry', 'web', 'project'].map(name => join(work, name)) as [string, string, string];
  for (const args of [['init', 'generator', '@acme/sentry', '--dir', sentry, '--description', 'Who owns the repository'], ['init', 'preset', '@acme/web', '--dir', web, '--extends', 'wpmedia-django']]) {
    const result = pyrepo(args, work);
    if (result.code !== 0) throw new Error(`pyrepo ${args.join(' ')} failed:\n${result.stderr}`);
  }
  mkdirSync(project);
  install(project, sentry, '@acme/pyrepo-generator-sentry');
  install(project, web, '@acme/pyrepo-preset-web');
  return { work, sentry, web, project };
}

/** The team preset replaces docker-dev with the team's generator and runs it with an owner. */
function useSentry(web: string): void {
  const preset = readJson(join(web, 'preset.json'));
  writeFileSync(join(web, 'preset.json'), JSON.stringify({ ...preset, replace: { 'docker-dev': '@acme/sentry' }, generators: [['@acme/sentry', { owner: 'Team Web' }]] }, null, 2));
}

test('pyrepo init generator scaffolds a publishable package whose own test passes', () => {
  const work = workFolder();
  const sentry = join(work, 'sentry');
  const result = pyrepo(['init', 'generator', '@acme/sentry', '--dir', sentry, '--description', 'Who owns the repository'], work);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /Created @acme\/pyrepo-generator-sentry in .*sentry:\n  README\.md\n  index\.js\n  package\.json\n  schema\.json\n  templates\/docs\/OWNERS\.md\.ejs\n  test\/generator\.test\.js\n/);
  const manifest = readJson(join(sentry, 'package.json'));
  assert.is(manifest.name, '@acme/pyrepo-generator-sentry');
  assert.equal(manifest.pyrepo, { kind: 'generator' });
  assert.equal(manifest.peerDependencies, { '@pyrepo/core': `^${coreVersion}` });
  assert.equal(manifest.files, ['index.js', 'schema.json', 'templates', 'README.md']);
  assert.equal(checkGeneratorSchema(readJson(join(sentry, 'schema.json'))), []);
  const own = spawnSync(process.execPath, [join(sentry, 'test', 'generator.test.js')], { encoding: 'utf8' });
  assert.is(own.status, 0, `${own.stdout}${own.stderr}`);
  assert.match(own.stdout, /Passed: +2/);
});

test('pyrepo init preset scaffolds a preset on an existing one, whose own test passes; bad names and folders write nothing', () => {
  const work = workFolder();
  const web = join(work, 'web');
  const result = pyrepo(['init', 'preset', '@acme/web', '--dir', web, '--extends', 'wpmedia-django'], work);
  assert.is(result.code, 0, result.stderr);
  const preset = readJson(join(web, 'preset.json'));
  assert.equal(checkPresetFile(preset), []);
  assert.is(preset.extends, 'wpmedia-django');
  assert.is(readJson(join(web, 'package.json')).name, '@acme/pyrepo-preset-web');
  const own = spawnSync(process.execPath, [join(web, 'test', 'preset.test.js')], { encoding: 'utf8' });
  assert.is(own.status, 0, `${own.stdout}${own.stderr}`);

  const again = pyrepo(['init', 'preset', '@acme/web', '--dir', web], work);
  assert.is(again.code, 2);
  assert.match(again.stderr, /already exists and is not empty/);
  const badName = pyrepo(['init', 'generator', 'Bad Name'], work);
  assert.is(badName.code, 2);
  assert.match(badName.stderr, /does not make an npm package name/);
  const badBase = pyrepo(['init', 'preset', 'x', '--dir', join(work, 'x'), '--extends', 'no-such-preset'], work);
  assert.is(badBase.code, 2);
  assert.match(badBase.stderr, /Unknown preset "no-such-preset"/);
  assert.not.ok(existsSync(join(work, 'pyrepo-generator-bad name')) || existsSync(join(work, 'x')), 'nothing written');
});

test('installed team packages are found by short and full names and listed with their source', () => {
  const { project } = teamPackages();
  const list = pyrepo(['list', '--json'], project);
  assert.is(list.code, 0, list.stderr);
  const rows = JSON.parse(list.stdout) as Array<{ kind: string; name: string; source: { type: string; packageName?: string; version?: string } }>;
  assert.equal(rows.find(row => row.name === '@acme/web'), {
    kind: 'preset',
    name: '@acme/web',
    description: 'A pyrepo preset built on wpmedia-django',
    source: { type: 'package', packageName: '@acme/pyrepo-preset-web', version: '0.1.0', path: join(project, 'node_modules', '@acme', 'pyrepo-preset-web') },
    trusted: false,
  } as never);
  assert.ok(rows.some(row => row.name === '@acme/sentry' && row.source.packageName === '@acme/pyrepo-generator-sentry'));
  for (const name of ['@acme/sentry', '@acme/pyrepo-generator-sentry']) assert.match(pyrepo(['info', name], project).stdout, /@acme\/sentry \(generator, @acme\/pyrepo-generator-sentry@0\.1\.0\)/);
});

test('a team preset replaces an inherited generator in place and shadows another one\'s template', () => {
  const { web, project } = teamPackages();
  useSentry(web);
  mkdirSync(join(web, 'templates', 'uwsgi'), { recursive: true });
  writeFileSync(join(web, 'templates', 'uwsgi', 'uwsgi.ini.ejs'), '[uwsgi]\n# acme: our uWSGI settings for <%= project.name %>\nmodule = <%= project.package %>.wsgi\n');
  writeFileSync(join(web, 'preset.json'), JSON.stringify({ ...readJson(join(web, 'preset.json')), templates: { uwsgi: './templates/uwsgi' } }, null, 2));
  const result = pyrepo(['new', '@acme/web', 'shop', '--yes', '--skip-install', '--trust', '--in-existing-git'], project);
  assert.is(result.code, 0, result.stderr);
  const repo = join(project, 'shop');
  assert.is(readFileSync(join(repo, 'uwsgi.ini'), 'utf8'), '[uwsgi]\n# acme: our uWSGI settings for shop\nmodule = shop.wsgi\n');
  assert.match(readFileSync(join(repo, 'docs', 'OWNERS.md'), 'utf8'), /Team Web owns this repository/);
  assert.not.ok(existsSync(join(repo, 'docker', 'app', 'dev.Dockerfile')), 'docker-dev was replaced');
  assert.ok(existsSync(join(repo, 'docker', 'app', 'Dockerfile')), 'docker-prod is still there');
  const order = (JSON.parse(pyrepo(['info', '@acme/web', '--json'], project).stdout) as { steps: Array<{ generator: string }> }).steps.map(step => step.generator);
  assert.equal(order, ['repo', 'venv', 'requirements', 'pyproject', 'django', 'uwsgi', '@acme/sentry', 'docker-prod']);
});

test('a package built for another core, broken or incomplete, is refused by name; pyrepo list goes on; a failing template is named with its line', () => {
  const { work, sentry, web, project } = teamPackages();
  useSentry(web);
  const manifest = readJson(join(sentry, 'package.json'));
  writeFileSync(join(sentry, 'package.json'), JSON.stringify({ ...manifest, peerDependencies: { '@pyrepo/core': '^2.0.0' } }));
  const broken = join(work, 'broken');
  mkdirSync(broken);
  writeFileSync(join(broken, 'package.json'), JSON.stringify({ name: 'pyrepo-generator-broken', version: '1.0.0', type: 'module', pyrepo: { kind: 'generator' } }));
  writeFileSync(join(broken, 'schema.json'), '{ "title": "broken", ');
  install(project, broken, 'pyrepo-generator-broken');

  const run = pyrepo(['new', '@acme/web', 'other', '--yes', '--skip-install', '--in-existing-git'], project);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`@acme/pyrepo-generator-sentry 0\\.1\\.0 is built for @pyrepo/core \\^2\\.0\\.0, but this pyrepo has @pyrepo/core ${coreVersion.replace(/\./g, '\\.')}\\. Install a version of it made for`));
  assert.not.ok(existsSync(join(project, 'other')), 'nothing written');

  const list = pyrepo(['list'], project);
  assert.is(list.code, 0, list.stderr);
  assert.match(list.stdout, /@acme\/sentry +BROKEN: @acme\/pyrepo-generator-sentry 0\.1\.0 is built for @pyrepo\/core \^2\.0\.0/);
  assert.match(list.stdout, /broken +BROKEN: schema\.json of pyrepo-generator-broken/);
  assert.match(list.stdout, /@acme\/web +A pyrepo preset built on wpmedia-django/);
  assert.match(list.stdout, /wpmedia-django +WP Media/);

  const incomplete = join(work, 'incomplete');
  mkdirSync(incomplete);
  writeFileSync(join(incomplete, 'package.json'), JSON.stringify({ name: 'pyrepo-generator-incomplete', version: '1.0.0', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } }));
  writeFileSync(join(incomplete, 'schema.json'), JSON.stringify({ $id: 'pyrepo-generator://incomplete', title: 'incomplete', description: 'Its templates/ did not make it into the package.', type: 'object', additionalProperties: false, properties: {} }));
  writeFileSync(join(incomplete, 'index.js'), "import { PyrepoGenerator } from '@pyrepo/core';\nexport default class extends PyrepoGenerator {\n  writing() {\n    this.renderFiles([{ template: 'notes.txt.ejs' }]);\n  }\n}\n");
  install(project, incomplete, 'pyrepo-generator-incomplete');
  const repo = join(project, 'repo');
  mkdirSync(repo);
  const added = pyrepo(['add', 'incomplete', '--dir', repo, '--yes', '--trust', '--name', 'shop'], project);
  assert.is(added.code, 1, added.stderr);
  assert.match(added.stderr, /Generator incomplete: template .*notes\.txt\.ejs cannot be read \(ENOENT\); its package is incomplete: reinstall it\. Nothing was written\./);
  assert.equal(readdirSync(repo), []);

  // Templates compile without EJS's line tracking; one that fails is rendered again with it.
  const faulty = join(work, 'faulty');
  mkdirSync(join(faulty, 'templates'), { recursive: true });
  writeFileSync(join(faulty, 'package.json'), JSON.stringify({ name: 'pyrepo-generator-faulty', version: '1.0.0', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } }));
  writeFileSync(join(faulty, 'schema.json'), JSON.stringify({ $id: 'pyrepo-generator://faulty', title: 'faulty', description: 'Its template reads an option it does not have.', type: 'object', additionalProperties: false, properties: {} }));
  writeFileSync(join(faulty, 'index.js'), "import { PyrepoGenerator } from '@pyrepo/core';\nexport default class extends PyrepoGenerator {\n  writing() {\n    this.renderFiles([{ template: 'notes.txt.ejs' }]);\n  }\n}\n");
  writeFileSync(join(faulty, 'templates', 'notes.txt.ejs'), '<%= project.name %>\n<%= options.owner.email %>\n');
  install(project, faulty, 'pyrepo-generator-faulty');
  const failed = pyrepo(['add', 'faulty', '--dir', repo, '--yes', '--trust', '--name', 'shop'], project);
  assert.is(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /pyrepo: generation failed: .*faulty\/templates\/notes\.txt\.ejs:2\n.*\n >> 2\| <%= options\.owner\.email %>\n[^]*Cannot read properties of undefined \(reading 'email'\)/);
  assert.equal(readdirSync(repo), []);
});

test.run();
