// `pyrepo check` and `pyrepo update` on repositories written by more than one generation: a preset
// and then `pyrepo add`, `add`s only, records of the format before generations were recorded; files
// a generator marks required; a new option asked in a terminal. Through the real CLI.
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, fixtures, folderState, pyrepo, tempFolders, workspaceTempDir } from './helpers/cli.js';
import { runInTerminal } from './helpers/terminal.js';
import { installUpdateFixtures, read, yoRc, type RecordsSection } from './helpers/update-scenario.js';

const folders = tempFolders('pyrepo-compositions-');
const made: string[] = [];
test.after(() => {
  folders.cleanup();
  made.forEach(dir => rmSync(dir, { recursive: true, force: true }));
});

/** The repository's files other than pyrepo's own records. */
function userFiles(app: string): Record<string, unknown> {
  const { '.yo-rc.json': _records, '.pyrepo-base.json': _base, ...files } = folderState(app) as Record<string, unknown>;
  return files;
}
interface CheckJson {
  status: string;
  findings: unknown[];
  notRegenerated?: string[];
}
function checkJson(dir: string, ...flags: string[]): { code: number | null; report: CheckJson } {
  const result = pyrepo(['check', '--dir', 'app', '--format', 'json', ...flags], dir);
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as CheckJson };
  } catch {
    throw new Error(`check printed no report (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
}

/** wpmedia-django, then `pyrepo add jenkins` (not in the preset). */
function presetThenAdd(): { dir: string; app: string } {
  const dir = folders.make();
  const created = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--skip-git'], dir, {}, 120_000);
  assert.is(created.code, 0, created.stderr);
  const added = pyrepo(['add', 'jenkins', '--yes', '--dir', 'app'], dir);
  assert.is(added.code, 0, added.stderr);
  return { dir, app: join(dir, 'app') };
}

test('a preset, then `add` of another generator: check rebuilds both (in sync); an edit of the added file is drift; an update to the same version changes no file', () => {
  const { dir, app } = presetThenAdd();
  assert.equal(yoRc(app).generations, ['preset wpmedia-django', 'generators jenkins']);
  assert.is(yoRc(app).record as unknown, 3);
  const green = checkJson(dir);
  assert.is(green.code, 0, JSON.stringify(green.report));
  assert.is(green.report.notRegenerated, undefined, 'every recorded generator was regenerated, the added one too');
  assert.equal(green.report.findings, []);

  const before = userFiles(app);
  const updated = pyrepo(['update', '--dir', 'app', '--yes'], dir);
  assert.is(updated.code, 0, updated.stderr);
  assert.match(updated.stdout, /^\d+ unchanged$/m, updated.stdout);
  assert.equal(userFiles(app), before, 'the same versions: no file changed (the added generator\'s Jenkinsfile is not "removed upstream")');
  assert.not.ok('.yo-rc.json' in (JSON.parse(read(app, '.pyrepo-base.json')) as object), 'the base snapshot holds generated files, not the records');
  const records = folderState(app);
  assert.is(pyrepo(['update', '--dir', 'app', '--yes'], dir).code, 0);
  assert.equal(folderState(app), records, 'a second update rewrites nothing, records included');
  assert.equal(yoRc(app).generations, ['preset wpmedia-django', 'generators jenkins']);

  writeFileSync(join(app, 'Jenkinsfile'), `${read(app, 'Jenkinsfile')}// run on the big agents\n`);
  const drift = checkJson(dir);
  assert.is(drift.code, 4);
  assert.equal(drift.report.findings, [{ path: 'Jenkinsfile', state: 'modified' }]);
});

test('records of format 2 (the preset and every generator\'s answers, no generations) are read as the preset\'s run, then the generators it lacks; the next update records them', () => {
  const { dir, app } = presetThenAdd();
  const data = JSON.parse(read(app, '.yo-rc.json')) as { 'generator-pyrepo': RecordsSection };
  delete data['generator-pyrepo'].generations;
  data['generator-pyrepo'].record = 2;
  writeFileSync(join(app, '.yo-rc.json'), `${JSON.stringify(data, null, 2)}\n`);
  const green = checkJson(dir);
  assert.is(green.code, 0, JSON.stringify(green.report));
  assert.is(green.report.notRegenerated, undefined);
  const before = userFiles(app);
  const updated = pyrepo(['update', '--dir', 'app', '--yes'], dir);
  assert.is(updated.code, 0, updated.stderr);
  assert.equal(userFiles(app), before);
  assert.is(yoRc(app).record as unknown, 3);
  assert.equal(yoRc(app).generations, ['preset wpmedia-django', 'generators jenkins']);
});

/** A repository made by `pyrepo add`s only: the team's runbook generator (installed as npm leaves it), then pip-config. */
function addsOnly(): { dir: string; app: string } {
  const dir = workspaceTempDir('compositions-');
  made.push(dir);
  mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(join(fixtures, 'update-compositions', 'runbook'), join(dir, 'node_modules', '@acme', 'pyrepo-generator-runbook'));
  mkdirSync(join(dir, 'app'));
  for (const args of [['@acme/runbook', '--trust', '--pager', 'night'], ['pip-config']]) {
    const added = pyrepo(['add', ...args, '--yes', '--dir', 'app'], dir);
    assert.is(added.code, 0, added.stderr);
  }
  return { dir, app: join(dir, 'app') };
}

test('a repository made only with `add`s: both generations recorded and rebuilt; an update to the same version changes nothing', () => {
  const { dir, app } = addsOnly();
  assert.equal(yoRc(app).generations, ['generators @acme/runbook', 'generators pip-config']);
  const green = checkJson(dir, '--trust');
  assert.is(green.code, 0, JSON.stringify(green.report));
  assert.is(green.report.notRegenerated, undefined);
  const before = userFiles(app);
  const updated = pyrepo(['update', '--dir', 'app', '--yes', '--trust'], dir);
  assert.is(updated.code, 0, updated.stderr);
  assert.match(updated.stdout, /^\d+ unchanged$/m, updated.stdout);
  assert.equal(userFiles(app), before);
});

test('required files: one the user deleted is written again by update (with the recorded answers) and listed; one not required stays deleted', () => {
  const { dir, app } = addsOnly();
  unlinkSync(join(app, 'ops/runbook.md'));
  unlinkSync(join(app, 'ops/notes.md'));
  const updated = pyrepo(['update', '--dir', 'app', '--yes', '--trust'], dir);
  assert.is(updated.code, 0, updated.stderr);
  assert.is(read(app, 'ops/runbook.md'), '# Runbook\n\nPage the night rota.\n');
  assert.match(updated.stdout, /^\| ops\/runbook\.md \| new \(you deleted it, but @acme\/runbook requires it: written again\) \|$/m);
  assert.match(updated.stdout, /^\| ops\/notes\.md \| kept \(you deleted it: it stays deleted\) \|$/m);
  assert.equal(checkJson(dir, '--trust').report.findings, [{ path: 'ops/notes.md', state: 'deleted' }], 'the runbook is as recorded again');
});

test('a re-run writes a required file the user deleted again; one not required stays deleted', () => {
  const { dir, app } = addsOnly();
  unlinkSync(join(app, 'ops/runbook.md'));
  unlinkSync(join(app, 'ops/notes.md'));
  const rerun = pyrepo(['add', '@acme/runbook', '--trust', '--yes', '--dir', 'app'], dir);
  assert.is(rerun.code, 0, rerun.stderr);
  assert.is(read(app, 'ops/runbook.md'), '# Runbook\n\nPage the night rota.\n');
  assert.match(rerun.stdout + rerun.stderr, /kept deleted: ops\/notes\.md/);
  assert.not.match(rerun.stdout + rerun.stderr, /kept deleted: ops\/runbook\.md/);
});

test('in a terminal, update asks for each option the new versions add (only those); the answer is recorded and generated', async () => {
  const dir = workspaceTempDir('compositions-terminal-');
  made.push(dir);
  mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
  installUpdateFixtures(dir, 1);
  const created = pyrepo(['new', '@acme/service', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--in-existing-git', '--owner', 'Team Web'], dir, {}, 120_000);
  assert.is(created.code, 0, created.stderr);
  installUpdateFixtures(dir, 2);
  const asked = /@acme\/ops: new option --channel: The chat channel of the on-call rota\. \["ops"\] $/;
  const result = await runInTerminal([process.execPath, bin, 'update', '--dir', 'app', '--trust'], { cwd: dir }, [[asked, 'web-oncall\r']]);
  assert.is(result.code, 0, result.output);
  assert.match(result.output, /@acme\/ops: new option --channel: The chat channel of the on-call rota\. \["ops"\] web-oncall/);
  assert.is(result.output.match(/new option/g)?.length, 1, `only the new option is asked:\n${result.output}`);
  assert.match(result.output, /- @acme\/ops: --channel = "web-oncall"/);
  assert.equal(yoRc(join(dir, 'app')).generators!['@acme/ops'], { team: 'Team Web', channel: 'web-oncall' });
  assert.match(read(join(dir, 'app'), 'README.md'), /Owned by Team Web; on call: #web-oncall\./);
});

test.run();
