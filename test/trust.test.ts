// The trust boundary, on the real CLI: code from a folder the user did not choose never runs. A
// package planted under a built-in's name (in the repository or a parent folder) never shadows it;
// team packages are found only in the repository's and working folder's own node_modules; a
// repository's .yo-rc.json names no code by path; a package or path that did not ship with pyrepo
// is imported or has its templates rendered (a dry run included) only once the user trusts it:
// --trust, the trusted list, or the question in a terminal. list and info never load it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, folderState, pyrepo, repoRoot, workspaceTempDir } from './helpers/cli.js';
import { runInTerminal } from './helpers/terminal.js';
import { asRoot, yoSandbox } from './helpers/yo.js';

// Inside the workspace: a trusted team generator imports @pyrepo/core as an installed package does.
const work = workspaceTempDir('trust-');
test.after(() => rmSync(work, { recursive: true, force: true }));

let count = 0;
/** A fresh folder with its own config home (an empty trusted list) and a marker path that code from a planted package would create. */
function setup() {
  const root = join(work, `case-${++count}`);
  const repo = join(root, 'repo');
  mkdirSync(repo, { recursive: true });
  const config = join(root, 'config');
  const env = { XDG_CONFIG_HOME: config, PYREPO_CACHE_DIR: join(root, 'cache') };
  return { root, repo, config, env, marker: (name: string) => join(root, `MARKER-${name}`) };
}

// The repositories hold no Django project: where its application would be is given.
const facts = ['--name', 'shop', '--framework', 'django', '--settings-module', 'shop.settings.prod', '--wsgi-app', 'shop.wsgi:application'];
const builtInUwsgi = realpathSync(join(repoRoot, 'packages', 'generators', 'uwsgi'));

function write(files: Record<string, unknown>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2));
  }
}

/** JavaScript that creates `marker` when it runs: as a module body, or inside an EJS template. */
const markModule = (marker: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\n`;
const markTemplate = (marker: string) => `<% process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'rendered'); %>uid = root\n`;

/** A package that claims to be the built-in uwsgi generator, whose module and template each leave a marker. */
function plantUwsgi(nodeModules: string, marker: (name: string) => string, label: string): void {
  const dir = join(nodeModules, '@pyrepo', 'generator-uwsgi');
  write({
    [join(dir, 'package.json')]: { name: '@pyrepo/generator-uwsgi', version: '0.1.0', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    [join(dir, 'schema.json')]: readFileSync(join(builtInUwsgi, 'schema.json'), 'utf8'),
    [join(dir, 'index.js')]: `${markModule(marker(`${label}-import`))}export default class {}\n`,
    [join(dir, 'templates', 'uwsgi.ini.ejs')]: markTemplate(marker(`${label}-template`)),
  });
}

/** A team generator package (a real PyrepoGenerator) whose import and template leave markers. */
function teamGenerator(dir: string, marker: (name: string) => string, name = 'pyrepo-generator-notes'): void {
  write({
    [join(dir, 'package.json')]: { name, version: '1.2.3', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    [join(dir, 'schema.json')]: { $id: `pyrepo-generator://${name}`, title: 'notes', description: 'Writes NOTES.md.', type: 'object', additionalProperties: false, properties: {} },
    [join(dir, 'index.js')]: `import { PyrepoGenerator } from '@pyrepo/core';\n${markModule(marker('team-import'))}export default class extends PyrepoGenerator {\n  writing() {\n    this.renderFiles([{ template: 'NOTES.md.ejs' }]);\n  }\n}\n`,
    [join(dir, 'templates', 'NOTES.md.ejs')]: `<% process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker('team-template'))}, 'rendered'); %># Notes of <%= project.name %>\n`,
  });
}

test('a package planted under a built-in name, in the repository or a parent folder, never runs: the built-in does, and list/info say where it is', () => {
  const { root, repo, env, marker } = setup();
  plantUwsgi(join(repo, 'node_modules'), marker, 'repo');
  plantUwsgi(join(root, 'node_modules'), marker, 'parent');
  const dry = pyrepo(['add', 'uwsgi', '--dry-run', '--yes', ...facts], repo, env);
  assert.is(dry.code, 0, dry.stderr);
  const run = pyrepo(['add', 'uwsgi', '--yes', ...facts], repo, env);
  assert.is(run.code, 0, run.stderr);
  const ini = readFileSync(join(repo, 'uwsgi.ini'), 'utf8');
  assert.match(ini, /^# Generated by pyrepo \(generator uwsgi\)/);
  assert.not.match(ini, /uid = root/);
  for (const name of ['repo-import', 'repo-template', 'parent-import', 'parent-template']) assert.not.ok(existsSync(marker(name)), `${name}: planted code ran`);

  const rows = JSON.parse(pyrepo(['list', '--json'], repo, env).stdout) as Array<{ name: string; source: { type: string; path: string } }>;
  const uwsgi = rows.filter(row => row.name === 'uwsgi');
  assert.is(uwsgi.length, 1, 'the planted copy is not listed as another uwsgi');
  assert.is(uwsgi[0]!.source.type, 'built-in');
  assert.is(realpathSync(uwsgi[0]!.source.path), builtInUwsgi);
  const info = JSON.parse(pyrepo(['info', 'uwsgi', '--json'], repo, env).stdout) as { source: { type: string; path: string } };
  assert.is(info.source.type, 'built-in');
  assert.is(realpathSync(info.source.path), builtInUwsgi);
  const text = pyrepo(['info', 'uwsgi'], repo, env).stdout;
  assert.ok(text.includes(`in ${uwsgi[0]!.source.path}`), text);
});

test("a team package in a parent folder's node_modules is not found (only the repository's and the working folder's own)", () => {
  const { root, repo, env, marker } = setup();
  teamGenerator(join(root, 'node_modules', 'pyrepo-generator-notes'), marker);
  const before = folderState(repo);
  const run = pyrepo(['add', 'notes', '--yes', '--trust', ...facts], repo, env);
  assert.is(run.code, 2, run.stderr);
  assert.match(run.stderr, /Unknown generator "notes"/);
  assert.equal(folderState(repo), before);
  assert.not.ok(JSON.parse(pyrepo(['list', '--json'], repo, env).stdout).some((row: { name: string }) => row.name === 'notes'));
  assert.not.ok(existsSync(marker('team-import')));
});

test("a repository's .yo-rc.json that names its preset by path is refused: exit 2, nothing written, no code run", () => {
  const { repo, env, marker } = setup();
  write({
    [join(repo, '.yo-rc.json')]: { 'generator-pyrepo': { preset: './.evil/preset.json', project: { name: 'shop', framework: 'django' } } },
    [join(repo, '.evil', 'preset.json')]: { name: 'evil', description: 'Runs its own code.', templates: { uwsgi: './tpl' }, generators: ['uwsgi', './gen'] },
    [join(repo, '.evil', 'tpl', 'uwsgi.ini.ejs')]: markTemplate(marker('preset-template')),
  });
  teamGenerator(join(repo, '.evil', 'gen'), marker);
  const before = folderState(repo);
  for (const extra of [['--dry-run'], []]) {
    const run = pyrepo(['add', 'uwsgi', '--yes', ...extra], repo, env);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /\.yo-rc\.json: "generator-pyrepo\.preset" is "\.\/\.evil\/preset\.json"; a repository's config may name its preset only by name or npm package, never by path/);
    assert.match(run.stderr, /fix: set it to the preset's name/);
    assert.not.match(run.stderr, /\n +at /, 'no stack trace');
  }
  assert.equal(folderState(repo), before);
  for (const name of ['preset-template', 'team-import', 'team-template']) assert.not.ok(existsSync(marker(name)), name);
});

/** A repository whose .yo-rc.json names a preset package planted in its node_modules, which shadows uwsgi.ini with a template that leaves a marker. */
function plantStoredPreset(repo: string, marker: string): string {
  const presetDir = join(repo, 'node_modules', 'pyrepo-preset-house');
  write({
    [join(repo, '.yo-rc.json')]: { 'generator-pyrepo': { preset: 'house', project: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', wsgiApp: 'shop.wsgi:application' } } },
    [join(presetDir, 'package.json')]: { name: 'pyrepo-preset-house', version: '0.0.1', pyrepo: { kind: 'preset' } },
    [join(presetDir, 'preset.json')]: { name: 'house', description: 'Shadows uwsgi.ini.', templates: { uwsgi: './tpl' }, generators: ['uwsgi'] },
    [join(presetDir, 'tpl', 'uwsgi.ini.ejs')]: markTemplate(marker),
  });
  return presetDir;
}

test("a preset package named by a repository's .yo-rc.json, planted in its node_modules, does not render its templates until trusted", () => {
  const { repo, env, marker } = setup();
  const presetDir = plantStoredPreset(repo, marker('preset-template'));
  const before = folderState(repo);
  for (const extra of [['--dry-run'], []]) {
    const run = pyrepo(['add', 'uwsgi', '--yes', ...extra], repo, env);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`The preset package pyrepo-preset-house 0\\.0\\.1 \\(found in ${realpathSync(presetDir).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) did not ship with pyrepo and is not trusted`));
    assert.match(run.stderr, /fix: if you trust it, re-run with --trust \(this run only\)/);
  }
  assert.equal(folderState(repo), before);
  assert.not.ok(existsSync(marker('preset-template')));
  // Trusted for one run, its template is what it is: the user's decision.
  const trusted = pyrepo(['add', 'uwsgi', '--yes', '--trust'], repo, env);
  assert.is(trusted.code, 0, trusted.stderr);
  assert.ok(existsSync(marker('preset-template')));
});

test('.yo-rc.json holding [] or null is a usage error naming the file and the fix, with nothing written', () => {
  for (const content of ['[]', 'null']) {
    const { repo, env } = setup();
    writeFileSync(join(repo, '.yo-rc.json'), content);
    const before = folderState(repo);
    const run = pyrepo(['add', 'uwsgi', '--yes', ...facts], repo, env);
    assert.is(run.code, 2, `${content}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`${join(repo, '.yo-rc.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} holds ${content === '[]' ? 'an array' : 'null'}, not a JSON object`));
    assert.match(run.stderr, /fix: replace its content with \{\} or delete it/);
    assert.equal(folderState(repo), before);
  }
});

test('an untrusted team generator is not loaded by add, --dry-run, list or info; --trust and the trusted list load it, for its folder and version only', () => {
  const { root, repo, config, env, marker } = setup();
  const dir = join(repo, 'node_modules', 'pyrepo-generator-notes');
  teamGenerator(dir, marker);
  const before = folderState(repo);
  for (const extra of [['--dry-run'], []]) {
    const run = pyrepo(['add', 'notes', '--yes', ...facts, ...extra], repo, env);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /The generator package pyrepo-generator-notes 1\.2\.3 \(found in .*node_modules\/pyrepo-generator-notes\) did not ship with pyrepo and is not trusted/);
    assert.ok(run.stderr.includes(join(config, 'pyrepo', 'trusted.json')), 'names the trusted list');
  }
  const list = pyrepo(['list'], repo, env);
  assert.is(list.code, 0, list.stderr);
  assert.match(list.stdout, /notes +Writes NOTES\.md\.\n +\(pyrepo-generator-notes@1\.2\.3\)\n +in .*pyrepo-generator-notes \(not trusted/);
  const info = pyrepo(['info', 'notes'], repo, env);
  assert.is(info.code, 0, info.stderr);
  assert.match(info.stdout, /notes \(generator, pyrepo-generator-notes@1\.2\.3\)\n  in .*pyrepo-generator-notes \(not trusted/);
  assert.equal(folderState(repo), before);
  assert.not.ok(existsSync(marker('team-import')) || existsSync(marker('team-template')), 'nothing of it ran');

  const dry = pyrepo(['add', 'notes', '--yes', '--dry-run', '--trust', ...facts], repo, env);
  assert.is(dry.code, 0, dry.stderr);
  assert.ok(existsSync(marker('team-import')) && existsSync(marker('team-template')), '--trust loads it');
  assert.not.ok(existsSync(join(config, 'pyrepo', 'trusted.json')), '--trust is for this run only');

  // The trusted list binds name, version and folder: a copy elsewhere, or another version, is not trusted.
  const trustedFile = join(config, 'pyrepo', 'trusted.json');
  write({ [trustedFile]: { trusted: [{ name: 'pyrepo-generator-notes', version: '1.2.3', path: join(root, 'elsewhere') }, { name: 'pyrepo-generator-notes', version: '1.2.2', path: realpathSync(dir) }] } });
  assert.is(pyrepo(['add', 'notes', '--yes', ...facts], repo, env).code, 2);
  write({ [trustedFile]: { trusted: [{ name: 'pyrepo-generator-notes', version: '1.2.3', path: realpathSync(dir) }] } });
  const run = pyrepo(['add', 'notes', '--yes', ...facts], repo, env);
  assert.is(run.code, 0, run.stderr);
  assert.is(readFileSync(join(repo, 'NOTES.md'), 'utf8'), '# Notes of shop\n');
  assert.match(pyrepo(['info', 'notes'], repo, env).stdout, /in .*pyrepo-generator-notes\n/);

  writeFileSync(trustedFile, '{ broken');
  const broken = pyrepo(['add', 'notes', '--yes', ...facts], repo, env);
  assert.is(broken.code, 2);
  assert.match(broken.stderr, /trusted list .*trusted\.json is not valid JSON/);
});

test('a generator given by path on the command line runs only when trusted, like a package', () => {
  const { root, repo, env, marker } = setup();
  const dir = join(root, 'team-notes');
  teamGenerator(dir, marker);
  const refused = pyrepo(['add', dir, '--yes', ...facts], repo, env);
  assert.is(refused.code, 2, refused.stderr);
  assert.ok(refused.stderr.includes(`The generator at ${realpathSync(dir)} (given by path) did not ship with pyrepo and is not trusted`), refused.stderr);
  assert.not.ok(existsSync(marker('team-import')));
  const run = pyrepo(['add', dir, '--yes', '--trust', ...facts], repo, env);
  assert.is(run.code, 0, run.stderr);
  assert.ok(existsSync(join(repo, 'NOTES.md')));
});

test('in a terminal, pyrepo asks once before loading an untrusted package: no runs nothing, yes records it in the trusted list', async () => {
  const { repo, config, env, marker } = setup();
  teamGenerator(join(repo, 'node_modules', 'pyrepo-generator-notes'), marker);
  const allFacts = [...facts, '--package', 'shop', '--python', '3.12', '--layout', 'layered', '--venv-dir', '.venv', '--app-user', 'app', '--port', '8000'];
  const question = /Trust it from now on \(recorded in .*trusted\.json\)\? \[y\/N\] $/;
  const declined = await runInTerminal([process.execPath, bin, 'add', 'notes', ...allFacts], { cwd: repo, env }, [[question, 'n\r']]);
  assert.is(declined.code, 2, declined.output);
  assert.match(declined.output, /the generator package pyrepo-generator-notes 1\.2\.3 \(found in .*\)/);
  assert.not.ok(existsSync(marker('team-import')), 'declined: not loaded');

  const accepted = await runInTerminal([process.execPath, bin, 'add', 'notes', ...allFacts], { cwd: repo, env }, [[question, 'y\r']]);
  assert.is(accepted.code, 0, accepted.output);
  assert.ok(existsSync(join(repo, 'NOTES.md')));
  const records = (JSON.parse(readFileSync(join(config, 'pyrepo', 'trusted.json'), 'utf8')) as { trusted: Array<Record<string, string>> }).trusted;
  assert.equal(
    records.map(({ kind, name, version, path }) => ({ kind, name, version, path })),
    [{ kind: 'generator', name: 'pyrepo-generator-notes', version: '1.2.3', path: realpathSync(join(repo, 'node_modules', 'pyrepo-generator-notes')) }],
  );
  assert.match(records[0]!.covers!, /imports its code and renders its templates/);
  // Agreed once: a later run without a terminal loads it.
  assert.is(pyrepo(['add', 'notes', '--yes', ...facts], repo, env).code, 0);
});

test('yo holds the same boundary: an untrusted preset named by .yo-rc.json is refused (exit 2, nothing written) unless --trust; a .yo-rc.json holding null is a usage error', () => {
  const yo = yoSandbox();
  try {
    const repo = yo.folder('repo');
    const markers = yo.folder('markers');
    plantStoredPreset(repo, join(markers, 'yo-template'));
    // yo runs as uid 1000 (see yoSandbox), which owns the repository as a user would.
    if (asRoot) execFileSync('chown', ['-R', '1000:1000', repo]);
    const before = folderState(repo);
    const refused = yo.run(['pyrepo:uwsgi', '--yes'], repo);
    assert.is(refused.code, 2, refused.output);
    assert.match(refused.output, /The preset package pyrepo-preset-house 0\.0\.1 \(found in .*\) did not ship with pyrepo and is not trusted/);
    assert.equal(folderState(repo), before);
    assert.not.ok(existsSync(join(markers, 'yo-template')));
    const trusted = yo.run(['pyrepo:uwsgi', '--yes', '--trust'], repo);
    assert.is(trusted.code, 0, trusted.output);
    assert.ok(existsSync(join(markers, 'yo-template')), '--trust renders its template');

    // Yeoman reads .yo-rc.json as it starts a generator: one holding null is the user's error there too.
    const odd = yo.folder('odd');
    writeFileSync(join(odd, '.yo-rc.json'), 'null');
    const refusedOdd = yo.run(['pyrepo:uwsgi', '--yes', '--name', 'shop'], odd);
    assert.is(refusedOdd.code, 2, refusedOdd.output);
    assert.match(refusedOdd.output, /\.yo-rc\.json holds null, not a JSON object[\s\S]*fix: replace its content with \{\} or delete it/);
    assert.equal(readdirSync(odd), ['.yo-rc.json']);
  } finally {
    yo.cleanup();
  }
});

test.run();
