// `pyrepo update`, `check` and `accept` end to end, through the real CLI: the team preset and
// generator of test/fixtures/update at v1 and v2, laid out in node_modules as npm installs them
// (fast, offline; test/registry.test.ts publishes the same packages to a registry and installs
// them from it), a repository generated with v1, a user's edits in requirements, pyproject,
// uwsgi.ini, README and the Dockerfile, then the update to v2 (test/helpers/update-scenario.ts).
import { existsSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runAsync } from '@pyrepo/testing';
import { bin, cliEnv, folderState, pyrepo, workspaceTempDir } from './helpers/cli.js';
import { edit, installUpdateFixtures, read, updateV1ToV2, userEdits, yoRc } from './helpers/update-scenario.js';

const made: string[] = [];
test.after(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })));

/** A repository generated with v1 (the user chose the owner, so it is a recorded answer), inside the workspace's git work tree on purpose (test/.work). */
function generatedWithV1(): { project: string; app: string; run: (...args: string[]) => ReturnType<typeof pyrepo> } {
  const project = workspaceTempDir('update-');
  made.push(project);
  mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
  installUpdateFixtures(project, 1);
  const run = (...args: string[]) => pyrepo([...args, ...(args[0] === 'new' ? [] : ['--dir', 'app'])], project);
  const created = run('new', '@acme/service', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--in-existing-git', '--owner', 'Team Web');
  if (created.code !== 0) throw new Error(`pyrepo new failed:\n${created.stderr}`);
  return { project, app: join(project, 'app'), run };
}

test('records: versions with their source, schema versions, facts, and per file the generated and written hashes; a base snapshot', () => {
  const { app } = generatedWithV1();
  const section = yoRc(app);
  assert.is(section.record as unknown, 3);
  assert.is(section.versions!['preset @acme/service'], 'package @acme/pyrepo-preset-service@1.0.0');
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

/** An npm registry stand-in that has no package (404) and keeps the paths it was asked for. */
async function emptyRegistry(): Promise<{ url: string; asked: string[]; server: Server }> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(decodeURIComponent(request.url ?? ''));
    response.statusCode = 404;
    response.setHeader('Content-Type', 'application/json');
    response.end('{"error":"Not found"}');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, asked, server };
}

test('check --outdated asks the registry npm is configured with, never the one the records name (a repository cannot choose where npm sends credentials)', async () => {
  const { project, app } = generatedWithV1();
  const configured = await emptyRegistry();
  const named = await emptyRegistry();
  try {
    // The records say the team's packages came from a registry of the repository's choosing.
    const yoRcPath = join(app, '.yo-rc.json');
    const stored = JSON.parse(read(app, '.yo-rc.json')) as Record<string, { versions: Record<string, string> }>;
    const section = Object.values(stored)[0]!;
    for (const [entry, label] of Object.entries(section.versions)) if (label.startsWith('package ')) section.versions[entry] = `${label} from ${named.url}`;
    writeFileSync(yoRcPath, `${JSON.stringify(stored, null, 2)}\n`);
    const result = await runAsync(process.execPath, [bin, 'check', '--outdated', '--trust', '--format', 'json', '--dir', 'app'], {
      cwd: project,
      env: cliEnv({ npm_config_registry: configured.url, npm_config_userconfig: join(project, 'no-npmrc'), npm_config_cache: join(project, 'npm-cache') }),
    });
    assert.is(result.status, 0, result.output);
    assert.equal(named.asked, [], 'the registry the records name is never asked');
    for (const name of ['@acme/pyrepo-preset-service', '@acme/pyrepo-generator-ops']) assert.ok(configured.asked.some(path => path.includes(name)), `npm's registry was asked about ${name}: ${configured.asked.join(' ')}`);
  } finally {
    configured.server.close();
    named.server.close();
  }
});

test('update v1 -> v2: no user line lost, answers migrated, the expected conflict and exit 1; --continue; check green, then red after an unrecorded edit', async () => {
  const { project, app, run } = generatedWithV1();
  await updateV1ToV2(app, run, () => installUpdateFixtures(project, 2));
});

test('update --abort puts back every file the update changed, records included', () => {
  const { project, app, run } = generatedWithV1();
  userEdits(app);
  installUpdateFixtures(project, 2);
  const before = folderState(app);
  assert.is(run('update', '--yes', '--trust').code, 1);
  assert.not.equal(folderState(app), before);
  const aborted = run('update', '--abort');
  assert.is(aborted.code, 0, aborted.stderr);
  assert.equal(folderState(app), before);
});

test('untrusted team code is never run by update or check (exit 2, nothing written); a new option without --yes and without a terminal is a usage error naming it', () => {
  const { project, app, run } = generatedWithV1();
  installUpdateFixtures(project, 2);
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
  const rerun = pyrepo(['new', '@acme/service', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--in-existing-git'], join(app, '..'));
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
