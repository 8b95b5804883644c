// The update story both update tests tell, on the team preset and generator of test/fixtures/update
// (v2 bumps uwsgi's processes, changes a requirement and adds one, raises pyproject's line length,
// changes a Dockerfile line through a preset template, renames an option with a declared migration
// and adds one, removes a file and adds another): test/update.test.ts with the packages laid out in
// node_modules, test/registry.test.ts with them published to and installed from a registry.
import { existsSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { fixtures, folderState, type CliResult } from './cli.js';

/** A pyrepo command on the repository (the caller adds --dir and picks the binary). */
export type RecordCommand = (...args: string[]) => CliResult;

/** A project whose node_modules/@acme holds the team's preset and generator at a version (as npm install leaves them). */
export function installUpdateFixtures(project: string, version: 1 | 2): void {
  for (const [link, fixture] of [['pyrepo-preset-service', 'preset'], ['pyrepo-generator-ops', 'ops']] as const) {
    const path = join(project, 'node_modules', '@acme', link);
    rmSync(path, { force: true });
    symlinkSync(join(fixtures, 'update', `${fixture}-v${version}`), path);
  }
}

export const read = (app: string, path: string) => readFileSync(join(app, path), 'utf8');

export function edit(app: string, path: string, change: (text: string) => string): void {
  const before = read(app, path);
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${path} changed nothing`);
  writeFileSync(join(app, path), after);
}

/** pyrepo's section of .yo-rc.json: the records. */
export type RecordsSection = Record<string, unknown> & {
  generations?: string[];
  versions?: Record<string, string>;
  schemas?: Record<string, number>;
  facts?: Record<string, unknown>;
  generators?: Record<string, Record<string, unknown>>;
  files?: Record<string, string>;
};

export const yoRc = (app: string) => (JSON.parse(read(app, '.yo-rc.json')) as { 'generator-pyrepo': RecordsSection })['generator-pyrepo'];

/** The user's edits: one line or table in each kind of file the update merges. */
export const userLines = {
  'requirements/base.txt': 'celery==5.4.0',
  'pyproject.toml': '[tool.mypy]\nstrict = true',
  'uwsgi.ini': 'harakiri = 60',
  'README.md': 'Our service, run by the web team.',
  'docker/app/Dockerfile': '--index-url https://pypi.example/simple',
};

export function userEdits(app: string): void {
  edit(app, 'requirements/base.txt', text => text.replace('Django==', 'celery==5.4.0\nDjango=='));
  edit(app, 'pyproject.toml', text => `${text}\n[tool.mypy]\nstrict = true\n`);
  edit(app, 'uwsgi.ini', text => text.replace('harakiri = 30\n', 'harakiri = 60\n'));
  edit(app, 'README.md', text => text.replace('\n', '\n\nOur service, run by the web team.\n'));
  edit(app, 'docker/app/Dockerfile', text => text.replace('--disable-pip-version-check -r', '--disable-pip-version-check --index-url https://pypi.example/simple -r'));
  unlinkSync(join(app, 'docs/OWNERS.md'));
}

/**
 * From a repository just generated with v1 (the user chose --owner): the user's edits (drift, then
 * accepted: green), `installV2` (the caller makes v2 the installed version), a dry run, the update
 * (`updateArgs` added) with no user line lost, the answers migrated and the Dockerfile's conflict
 * (exit 1); markers refuse check, a new update and an early --continue; the user resolves,
 * --continue, check green; an unrecorded edit makes it red again.
 */
export async function updateV1ToV2(app: string, run: RecordCommand, installV2: () => void | Promise<void>, updateArgs: string[] = []): Promise<void> {
  userEdits(app);
  assert.is(run('check', '--trust').code, 4, 'unrecorded edits are drift');
  const accepted = run('accept', 'app/docs/OWNERS.md', ...Object.keys(userLines).map(path => `app/${path}`));
  assert.is(accepted.code, 0, accepted.stderr);
  const green = run('check', '--trust');
  assert.is(green.code, 0, green.stdout + green.stderr);
  await installV2();

  const before = folderState(app);
  const dry = run('update', '--yes', '--trust', '--dry-run', ...updateArgs);
  assert.is(dry.code, 1, dry.stderr);
  assert.equal(folderState(app), before, '--dry-run wrote nothing');
  for (const [outcome, path] of <Array<[string, string]>>[['unchanged', 'manage.py'], ['merged', 'uwsgi.ini'], ['merged', 'requirements/base.txt'], ['merged', 'pyproject.toml'], ['merged', 'README.md'], ['conflict', 'docker/app/Dockerfile'], ['new', 'docs/ONCALL.md'], ['kept', 'docs/OWNERS.md'], ['deleted', 'docs/legacy.md']]) {
    assert.match(dry.stdout, new RegExp(`^ +${outcome} ${path.replace(/\./g, '\\.')}$`, 'm'), `${path}: ${outcome}`);
  }
  assert.match(dry.stdout, /^\+processes = 8$/m, 'the dry run shows diffs');

  const updated = run('update', '--yes', '--trust', ...updateArgs);
  assert.is(updated.code, 1, updated.stderr);
  assert.match(updated.stderr, /1 conflict\(s\):\n  docker\/app\/Dockerfile\n/);
  assert.match(updated.stdout, /## pyrepo update: @acme\/pyrepo-preset-service@1\.0\.0 -> @acme\/pyrepo-preset-service@2\.0\.0/);
  assert.match(updated.stdout, /- @acme\/ops: --channel = "ops"/);
  assert.match(updated.stdout, /- @acme\/ops: --owner is now --team/);
  for (const [path, line] of Object.entries(userLines)) assert.ok(read(app, path).includes(line), `${path} keeps the user's ${line}`);
  // v2's changes are in, beside the user's.
  assert.match(read(app, 'uwsgi.ini'), /^processes = 8$/m);
  assert.match(read(app, 'requirements/base.txt'), /^requests==2\.32\.3$/m);
  assert.match(read(app, 'requirements/base.txt'), /^structlog==24\.1\.0$/m);
  assert.match(read(app, 'pyproject.toml'), /^line-length = 100$/m);
  assert.match(read(app, 'README.md'), /Owned by Team Web; on call: #ops\./);
  assert.match(read(app, 'docker/app/Dockerfile'), /^<<<<<<< yours\n.*--index-url.*\n\|\|\|\|\|\|\| @acme\/pyrepo-preset-service@1\.0\.0 \(base\)\n.*\n=======\n.*--progress-bar off.*\n>>>>>>> @acme\/pyrepo-preset-service@2\.0\.0 \(new\)$/m);
  assert.ok(!existsSync(join(app, 'docs/OWNERS.md')), 'a file the user deleted stays deleted');
  assert.ok(!existsSync(join(app, 'docs/legacy.md')), 'a file removed upstream and unmodified is deleted');
  assert.is(read(app, 'docs/ONCALL.md'), '# On call\n\nAsk in #ops.\n');
  assert.equal(yoRc(app).generators!['@acme/ops'], { team: 'Team Web' });
  assert.is(yoRc(app).schemas!['@acme/ops'], 2);

  assert.is(run('check', '--trust').code, 5, 'markers: an unfinished update');
  const again = run('update', '--yes', '--trust', ...updateArgs);
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
}
