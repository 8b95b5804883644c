// --dry-run predicts the run: on the same repository, the dry run and then the real run print the
// same file statuses, end with the same exit code, and the dry run names exactly the later steps
// (venv, pip, git) the real run takes.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderState, pyrepo, tempFolders, type CliResult } from './helpers/cli.js';

const folders = tempFolders('pyrepo-dry-run-');
test.after(folders.cleanup);

// pip fails at once (no index), and git can commit without the user's identity.
const env = { PIP_NO_INDEX: '1', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

/** The file statuses a run printed (`create README.md`, `skip uwsgi.ini`), sorted: the conflicter checks files concurrently. */
function statuses(result: CliResult): string[] {
  return [...result.stderr.matchAll(/^ *(create|identical|force|update|merge|conflict|skip) (\S+)$/gm)].map(match => `${match[1]} ${match[2]}`).sort();
}

/** The later steps a dry run names: `venv: create the virtual environment .venv with Python 3.12.1 (python3.12)` and its command. */
function announcedSteps(result: CliResult): Array<{ step: string; command: string }> {
  return [...result.stderr.matchAll(/^ *info (\S+: )would (.+?): (.+)$/gm)].map(match => ({ step: `${match[1]}${match[2]}`, command: match[3]! }));
}

/** A step's name without the interpreter the venv step names (the repository shows that a venv was made, not with which Python). */
function stepName(step: string): string {
  return step.replace(/ with Python \S+ \(\S+\)$/, '');
}

/** Each step the dry run names, the run reports by the same name, done or failed (its progress line). */
function reportedByRun(step: string, run: CliResult): boolean {
  const [name, what] = step.split(/: (.*)/s) as [string, string];
  return run.stderr.includes(`✔ ${name}: ${what}`) || run.stderr.includes(`✖ ${name}: could not ${what}`);
}

/** The later steps the real run took, seen in the repository and in what it reported. */
function stepsTaken(dir: string, before: { venv: boolean; git: boolean; commits: number }, result: CliResult): string[] {
  const steps: string[] = [];
  if (!before.venv && existsSync(join(dir, '.venv', 'pyvenv.cfg'))) steps.push('venv: create the virtual environment .venv');
  // pip has no index here: the step is taken, and fails with the command to run later.
  if (/venv: could not install requirements\/dev\.txt/.test(result.stderr)) steps.push('venv: install requirements/dev.txt');
  if (!before.git && existsSync(join(dir, '.git'))) steps.push('repo: initialize a git repository');
  if (commits(dir) > before.commits) steps.push('repo: add the generated files to git', 'repo: make the first commit');
  return steps;
}

function commits(dir: string): number {
  const log = spawnSync('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return log.status === 0 ? Number(log.stdout.trim()) : 0;
}

/** Run with --dry-run, check it wrote nothing, then run for real; both must say the same. */
function compare(args: string[], cwd: string, repo: string, label: string): CliResult {
  const before = folderState(repo);
  const taken = { venv: existsSync(join(repo, '.venv', 'pyvenv.cfg')), git: existsSync(join(repo, '.git')), commits: commits(repo) };
  const dry = pyrepo([...args, '--dry-run'], cwd, env, 120_000);
  assert.equal(folderState(repo), before, `${label}: the dry run wrote nothing`);
  const real = pyrepo(args, cwd, env, 120_000);
  assert.ok(statuses(real).length > 0, `${label}: the run printed statuses\n${real.stderr}`);
  assert.equal(statuses(dry), statuses(real), `${label}: the same statuses`);
  assert.is(dry.code, real.code, `${label}: the same exit code\n${dry.stderr}\n${real.stderr}`);
  assert.equal(announcedSteps(dry).map(step => stepName(step.step)), stepsTaken(repo, taken, real), `${label}: the later steps`);
  for (const { step } of announcedSteps(dry)) assert.ok(reportedByRun(step, real), `${label}: the run reports "${step}"\n${real.stderr}`);
  // The banner follows the plan and comes before the first status.
  assert.match(dry.stderr, /^Dry run: nothing is written\. What would happen:\n *(create|identical|force|update|merge|conflict) /m, label);
  return real;
}

test('--dry-run then the run, on a new repository, an unchanged re-run, an edited one, a conflict, --force: same statuses, exit codes and later steps', () => {
  const dir = folders.make();
  const repo = join(dir, 'app');
  const created = compare(['new', 'wpmedia-django', 'app', '--yes', '--initial-commit'], dir, repo, 'new repository');
  assert.is(created.code, 0, created.stderr);
  assert.match(created.stderr, /^ *create \.yo-rc\.json$/m, 'a new repository creates its .yo-rc.json, not "force"');
  const dryAgain = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--initial-commit', '--dry-run'], dir, env);
  const git = announcedSteps(pyrepo(['new', 'wpmedia-django', 'fresh', '--yes', '--initial-commit', '--dry-run'], dir, env));
  assert.match(git.find(step => step.step === 'repo: add the generated files to git')?.command ?? '', /^git --literal-pathspecs add -- .*\.yo-rc\.json .*uwsgi\.ini$/);
  assert.not.match(dryAgain.stderr, /force \.yo-rc\.json/);

  const rerun = compare(['new', 'wpmedia-django', 'app', '--yes', '--skip-install'], dir, repo, 'unchanged re-run');
  assert.ok(statuses(rerun).every(status => status.startsWith('identical ')), rerun.stderr);

  const edited = compare(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--port', '9000'], dir, repo, 'edited');
  assert.match(edited.stderr, /^ *update uwsgi\.ini$/m);
  assert.match(edited.stderr, /^ *force \.yo-rc\.json$/m);

  appendFileSync(join(repo, 'uwsgi.ini'), '# my own line\n');
  const conflict = compare(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--port', '9100'], dir, repo, 'conflict');
  assert.is(conflict.code, 3, conflict.stderr);
  assert.match(conflict.stderr, /^ *conflict uwsgi\.ini\n *skip uwsgi\.ini$/m);
  const dryConflict = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--port', '9200', '--dry-run'], dir, env);
  assert.match(dryConflict.stderr, /the run would leave 1 file\(s\) you changed as they are:\n  uwsgi\.ini\n/);
  // The diff of the file, under a legend that reads without colours (the conflicter checks files
  // concurrently: the diffs of other changed files may come between the status and this diff).
  assert.match(dryConflict.stderr, /^-removed \+added$/m);
  assert.not.match(dryConflict.stderr, /removedadded/);
  assert.match(dryConflict.stderr, /skip uwsgi\.ini\n[\s\S]*\n-# my own line\n/);

  const forced = compare(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--port', '9300', '--force'], dir, repo, '--force');
  assert.is(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /^ *force uwsgi\.ini$/m);
});

test('a generator that refuses its input does so before the dry run says what would happen', () => {
  const dir = folders.make();
  // A .git that git init left half-made: the repo generator refuses it while it writes.
  mkdirSync(join(dir, 'app', '.git'), { recursive: true });
  const dry = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--dry-run'], dir);
  assert.is(dry.code, 2, dry.stderr);
  assert.match(dry.stderr, /is not a working git repository/);
  assert.not.match(`${dry.stdout}${dry.stderr}`, /Dry run: nothing is written/);
});

test.run();
