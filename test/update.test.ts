// `pyrepo update`, `check` and `accept` end to end, through the real CLI: a team preset and
// generator at v1 and v2 (test/fixtures/update: v2 bumps uwsgi's processes, changes a requirement and
// adds one, raises pyproject's line length, changes a Dockerfile line through a preset template,
// renames an option with a declared migration and adds one, removes a file and adds another), a
// repository generated with v1, a user's edits in requirements, pyproject, uwsgi.ini, README and the
// Dockerfile, then the update to v2.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtures, folderState, pyrepo, workspaceTempDir } from './helpers/cli.js';

const made: string[] = [];
test.after(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })));

/** A project whose node_modules holds the team's preset and generator at a version (as npm install leaves them). */
function install(project: string, version: 1 | 2): void {
  for (const [link, fixture] of [['pyrepo-preset-web', 'preset'], ['pyrepo-generator-ops', 'ops']] as const) {
    const path = join(project, 'node_modules', '@acme', link);
    rmSync(path, { force: true });
    symlinkSync(join(fixtures, 'update', `${fixture}-v${version}`), path);
  }
}

/** A repository generated with v1 (the user chose the owner, so it is a recorded answer), inside the workspace's git work tree on purpose (test/.work). */
function generatedWithV1(): { project: string; app: string; run: (...args: string[]) => ReturnType<typeof pyrepo> } {
  const project = workspaceTempDir('update-');
  made.push(project);
  mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
  install(project, 1);
  const run = (...args: string[]) => pyrepo([...args, ...(args[0] === 'new' ? [] : ['--dir', 'app'])], project);
  const created = run('new', '@acme/web', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--in-existing-git', '--owner', 'Team Web');
  if (created.code !== 0) throw new Error(`pyrepo new failed:\n${created.stderr}`);
  return { project, app: join(project, 'app'), run };
}

const read = (app: string, path: string) => readFileSync(join(app, path), 'utf8');
function edit(app: string, path: string, change: (text: string) => string): void {
  const before = read(app, path);
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${path} changed nothing`);
  writeFileSync(join(app, path), after);
}

/** The user's edits: one line or table in each kind of file the update merges. */
const userLines = {
  'requirements/base.txt': 'celery==5.4.0',
  'pyproject.toml': '[tool.mypy]\nstrict = true',
  'uwsgi.ini': 'harakiri = 60',
  'README.md': 'Our service, run by the web team.',
  'docker/app/Dockerfile': '--index-url https://pypi.example/simple',
};
function userEdits(app: string): void {
  edit(app, 'requirements/base.txt', text => text.replace('Django==', 'celery==5.4.0\nDjango=='));
  edit(app, 'pyproject.toml', text => `${text}\n[tool.mypy]\nstrict = true\n`);
  edit(app, 'uwsgi.ini', text => text.replace('harakiri = 30\n', 'harakiri = 60\n'));
  edit(app, 'README.md', text => text.replace('\n', '\n\nOur service, run by the web team.\n'));
  edit(app, 'docker/app/Dockerfile', text => text.replace('--disable-pip-version-check -r', '--disable-pip-version-check --index-url https://pypi.example/simple -r'));
  unlinkSync(join(app, 'docs/OWNERS.md'));
}

const yoRc = (app: string) => (JSON.parse(read(app, '.yo-rc.json')) as { 'generator-pyrepo': Record<string, Record<string, unknown>> })['generator-pyrepo'];

test('records: versions with their source, schema versions, facts, and per file the generated and written hashes; a base snapshot', () => {
  const { app } = generatedWithV1();
  const section = yoRc(app);
  assert.is(section.record as unknown, 3);
  assert.is(section.versions!['preset @acme/web'], 'package @acme/pyrepo-preset-web@1.0.0');
  assert.is(section.versions!['generator @acme/ops'], 'package @acme/pyrepo-generator-ops@1.0.0');
  assert.match(String(section.versions!['generator uwsgi']), /^built-in @pyrepo\/generator-uwsgi@\d+\.\d+\.\d+$/);
  assert.is(section.schemas!['@acme/ops'], 1);
  assert.is(section.facts!.name, 'app');
  assert.equal(section.generators!['@acme/ops'], { owner: 'Team Web' });
  const [generated, written] = String(section.files!['uwsgi.ini']).split(' ');
  assert.is(generated, written);
  const snapshot = JSON.parse(read(app, '.pyrepo-base.json')) as Record<string, string>;
  assert.is(snapshot['uwsgi.ini'], read(app, 'uwsgi.ini'));
  // One entry a line, sorted: merge-friendly.
  const lines = read(app, '.pyrepo-base.json').trim().split('\n').slice(1, -1);
  assert.equal(lines.map(line => JSON.parse(`{${line.replace(/,$/, '')}}`) as object).map(entry => Object.keys(entry)[0]), Object.keys(snapshot).sort());
});

test('update v1 -> v2: no user line lost, answers migrated, the expected conflict and exit 1; --continue; check green, then red after an unrecorded edit', () => {
  const { project, app, run } = generatedWithV1();
  userEdits(app);
  assert.is(run('check', '--trust').code, 4, 'unrecorded edits are drift');
  const accepted = run('accept', 'app/docs/OWNERS.md', ...Object.keys(userLines).map(path => `app/${path}`));
  assert.is(accepted.code, 0, accepted.stderr);
  const green = run('check', '--trust');
  assert.is(green.code, 0, green.stdout + green.stderr);
  install(project, 2);
  const before = folderState(app);
  const dry = run('update', '--yes', '--trust', '--dry-run');
  assert.is(dry.code, 1, dry.stderr);
  assert.equal(folderState(app), before, '--dry-run wrote nothing');
  for (const [outcome, path] of <Array<[string, string]>>[['unchanged', 'manage.py'], ['merged', 'uwsgi.ini'], ['merged', 'requirements/base.txt'], ['merged', 'pyproject.toml'], ['merged', 'README.md'], ['conflict', 'docker/app/Dockerfile'], ['new', 'docs/ONCALL.md'], ['kept', 'docs/OWNERS.md'], ['deleted', 'docs/legacy.md']]) {
    assert.match(dry.stdout, new RegExp(`^ +${outcome} ${path.replace(/\./g, '\\.')}$`, 'm'), `${path}: ${outcome}`);
  }
  assert.match(dry.stdout, /^\+processes = 8$/m, 'the dry run shows diffs');

  const updated = run('update', '--yes', '--trust');
  assert.is(updated.code, 1, updated.stderr);
  assert.match(updated.stderr, /1 conflict\(s\):\n  docker\/app\/Dockerfile\n/);
  assert.match(updated.stdout, /## pyrepo update: @acme\/pyrepo-preset-web@1\.0\.0 -> @acme\/pyrepo-preset-web@2\.0\.0/);
  assert.match(updated.stdout, /- @acme\/ops: --channel = "ops"/);
  assert.match(updated.stdout, /- @acme\/ops: --owner is now --team/);
  for (const [path, line] of Object.entries(userLines)) assert.ok(read(app, path).includes(line), `${path} keeps the user's ${line}`);
  // v2's changes are in, beside the user's.
  assert.match(read(app, 'uwsgi.ini'), /^processes = 8$/m);
  assert.match(read(app, 'requirements/base.txt'), /^requests==2\.32\.3$/m);
  assert.match(read(app, 'requirements/base.txt'), /^structlog==24\.1\.0$/m);
  assert.match(read(app, 'pyproject.toml'), /^line-length = 100$/m);
  assert.match(read(app, 'README.md'), /Owned by Team Web; on call: #ops\./);
  assert.match(read(app, 'docker/app/Dockerfile'), /^<<<<<<< yours\n.*--index-url.*\n\|\|\|\|\|\|\| @acme\/pyrepo-preset-web@1\.0\.0 \(base\)\n.*\n=======\n.*--progress-bar off.*\n>>>>>>> @acme\/pyrepo-preset-web@2\.0\.0 \(new\)$/m);
  assert.ok(!existsSync(join(app, 'docs/OWNERS.md')), 'a file the user deleted stays deleted');
  assert.ok(!existsSync(join(app, 'docs/legacy.md')), 'a file removed upstream and unmodified is deleted');
  assert.is(read(app, 'docs/ONCALL.md'), '# On call\n\nAsk in #ops.\n');
  assert.equal(yoRc(app).generators!['@acme/ops'], { team: 'Team Web' });
  assert.is(yoRc(app).schemas!['@acme/ops'], 2);

  assert.is(run('check', '--trust').code, 5, 'markers: an unfinished update');
  const again = run('update', '--yes', '--trust');
  assert.is(again.code, 5, 'an update refuses to start while markers of an earlier one remain');
  assert.match(again.stderr, /stopped on conflicts and is not finished/);
  const early = run('update', '--continue');
  assert.is(early.code, 1);
  assert.match(early.stderr, /conflict markers remain:\n  docker\/app\/Dockerfile: lines /);

  // The user resolves: both flags.
  edit(app, 'docker/app/Dockerfile', text =>
    text.replace(/<<<<<<< yours\n[^]*?>>>>>>> [^\n]*\n/, 'RUN /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check --progress-bar off --index-url https://pypi.example/simple -r requirements/prod.txt\n'),
  );
  const finished = run('update', '--continue');
  assert.is(finished.code, 0, finished.stderr);
  assert.ok(!existsSync(join(app, '.pyrepo-update')), 'the abort backup is gone');
  const inSync = run('check', '--trust', '--format', 'json');
  assert.is(inSync.code, 0, inSync.stdout);
  assert.equal((JSON.parse(inSync.stdout) as { status: string; findings: unknown[] }).findings, []);

  edit(app, 'uwsgi.ini', text => `${text}# tuned by hand\n`);
  const drift = run('check', '--trust', '--format', 'json');
  assert.is(drift.code, 4);
  assert.equal((JSON.parse(drift.stdout) as { findings: unknown[] }).findings, [{ path: 'uwsgi.ini', state: 'modified' }]);
});

test('update --abort puts back every file the update changed, records included', () => {
  const { project, app, run } = generatedWithV1();
  userEdits(app);
  install(project, 2);
  const before = folderState(app);
  assert.is(run('update', '--yes', '--trust').code, 1);
  assert.not.equal(folderState(app), before);
  const aborted = run('update', '--abort');
  assert.is(aborted.code, 0, aborted.stderr);
  assert.equal(folderState(app), before);
});

test('untrusted team code is never run by update or check (exit 2, nothing written); a new option without --yes and without a terminal is a usage error naming it', () => {
  const { project, app, run } = generatedWithV1();
  install(project, 2);
  const before = folderState(app);
  for (const command of [['update', '--yes'], ['check']]) {
    const untrusted = run(...command);
    assert.is(untrusted.code, 2, untrusted.stderr);
    assert.match(untrusted.stderr, /did not ship with pyrepo and is not trusted/);
  }
  assert.equal(folderState(app), before);
  const result = run('update', '--trust');
  assert.is(result.code, 2);
  assert.match(result.stderr, /new option --channel/);
  assert.equal(folderState(app), before);
});

test('a repository written before the records (bare written hashes, no snapshot) keeps working: check, update, and a re-run', () => {
  const { app, run } = generatedWithV1();
  // What today's main writes: "files" holds each file's written hash only; no versions, schemas, facts, base.
  const data = JSON.parse(read(app, '.yo-rc.json')) as Record<string, Record<string, unknown>>;
  const section = data['generator-pyrepo']!;
  const files = section.files as Record<string, string>;
  for (const key of ['record', 'versions', 'schemas', 'facts']) delete section[key];
  section.files = Object.fromEntries(Object.entries(files).map(([path, line]) => [path, line.split(' ')[1]]));
  writeFileSync(join(app, '.yo-rc.json'), `${JSON.stringify(data, null, 2)}\n`);
  rmSync(join(app, '.pyrepo-base.json'));
  edit(app, 'uwsgi.ini', text => text.replace('harakiri = 30\n', 'harakiri = 60\n'));
  const check = run('check', '--trust');
  assert.is(check.code, 4, check.stdout + check.stderr);
  assert.match(check.stdout, /uwsgi\.ini: changed since pyrepo wrote it/);
  const updated = run('update', '--yes', '--trust');
  assert.is(updated.code, 0, updated.stderr);
  assert.match(read(app, 'uwsgi.ini'), /^harakiri = 60$/m);
  assert.is(yoRc(app).record as unknown, 3, 'the update records the new format');
  // The base was rebuilt at the installed versions and checked against the written hash: the user's
  // edit is kept (without a base it would be a whole-file conflict).
  assert.match(updated.stdout, /\| uwsgi\.ini \| kept \|/);
  assert.match(String(yoRc(app).files!['manage.py']), /^[0-9a-f]{64} [0-9a-f]{64}$/);
});

test('a re-run of the preset keeps what update would keep: a file the user deleted stays deleted, an edited one is left', () => {
  const { app, run } = generatedWithV1();
  unlinkSync(join(app, 'docs/OWNERS.md'));
  edit(app, 'uwsgi.ini', text => text.replace('harakiri = 30\n', 'harakiri = 60\n'));
  const rerun = pyrepo(['new', '@acme/web', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--in-existing-git'], join(app, '..'));
  assert.is(rerun.code, 3, rerun.stderr);
  assert.ok(!existsSync(join(app, 'docs/OWNERS.md')));
  assert.match(rerun.stdout + rerun.stderr, /kept deleted: docs\/OWNERS\.md/);
  assert.match(read(app, 'uwsgi.ini'), /^harakiri = 60$/m);
  assert.is(run('check', '--trust').code, 4, 'both are still reported until accepted');
});

test('check is in sync right after a run that made the venv with another Python than the project\'s: what the README says does not depend on the machine', () => {
  const project = workspaceTempDir('update-venv-');
  made.push(project);
  // A machine without Python 3.14: python3 on PATH only, no pyenv or uv interpreters.
  mkdirSync(join(project, 'bin'));
  symlinkSync('/usr/bin/python3', join(project, 'bin', 'python3'));
  const machine = { PATH: join(project, 'bin'), PYENV_ROOT: join(project, 'pyenv'), UV_PYTHON_INSTALL_DIR: join(project, 'uv'), PIP_NO_INDEX: '1' };
  const created = pyrepo(['new', 'venv-systemd', 'app', '--yes', '--skip-git', '--in-existing-git', '--python', '3.14'], project, machine, 120_000);
  assert.is(created.code, 0, created.stderr);
  assert.match(created.stdout + created.stderr, /venv: Python 3\.14 was asked for, but no python3\.14 was found/, 'the venv was made with the fallback');
  const check = pyrepo(['check', '--dir', 'app'], project, machine);
  assert.is(check.code, 0, check.stdout + check.stderr);
  assert.match(read(join(project, 'app'), 'README.md'), /^python3\.14 -m venv env$/m);
});

test.run();
