// What the CLI says a person should do next is what works: each suggested command is valid shell
// (bash -n), the harmless ones run; a new repository is not put inside another one's work tree;
// a command missing its arguments, an unknown name and help answer in pyrepo's words.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderState, pyrepo, repoRoot, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-cli-words-');
test.after(folders.cleanup);

/** Whether bash parses `command` (it runs nothing). */
function assertShellSyntax(command: string): void {
  const parsed = spawnSync('bash', ['-n', '-c', command], { encoding: 'utf8' });
  assert.is(parsed.status, 0, `bash -n ${command}\n${parsed.stderr}`);
}

function bash(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
// git may not guess an identity from the user and host names: it asks for one, as on a fresh machine.
const noIdentity = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'user.useConfigOnly', GIT_CONFIG_VALUE_0: 'true' };

test('a failed later step suggests a command that pastes into bash and runs, in a folder whose name needs quoting; git\'s identity hint is shown whole', () => {
  const dir = folders.make();
  const target = join(dir, "it's my app");
  // A venv folder that looks made, without its python: pip's step fails at once.
  mkdirSync(join(target, '.venv'), { recursive: true });
  writeFileSync(join(target, '.venv', 'pyvenv.cfg'), '');
  const result = pyrepo(['new', 'wpmedia-django', target, '--name', 'app', '--yes', '--initial-commit'], dir, noIdentity);
  assert.is(result.code, 0, result.stderr);
  const later = [...result.stderr.matchAll(/Run it yourself later: (.+)$/gm)].map(match => match[1]!);
  assert.is(later.length, 2, result.stderr);
  for (const command of later) assertShellSyntax(command);
  const [install, commit] = later as [string, string];
  assert.match(install, / && \.venv\/bin\/python -I -m pip install --disable-pip-version-check -r requirements\/dev\.txt$/);
  assert.is(bash(install.replace(/ && .*$/, ' && pwd'), dir).stdout, `${target}\n`, 'its cd goes into the repository');
  assert.match(commit, / && git commit --quiet --message 'Initial commit \(pyrepo\)'$/);
  assert.match(result.stderr, /git config --global user\.email "you@example\.com"\n *git config --global user\.name "Your Name"/, 'the identity hint, whole');
  // The files were added by the run; the commit it suggests, pasted as it is, makes the commit.
  const pasted = bash(commit, dir, identity);
  assert.is(pasted.status, 0, pasted.stderr);
  assert.match(bash('git log --format=%s', target).stdout, /^Initial commit \(pyrepo\)\n$/);
});

test('the commands of --dry-run, init\'s next steps and the fixes pyrepo gives are valid shell', () => {
  const dir = folders.make();
  const dry = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--initial-commit', '--dry-run'], dir);
  const announced = [...dry.stderr.matchAll(/^ *info \S+: would [^:]+: (.+)$/gm)].map(match => match[1]!);
  assert.ok(announced.length >= 4, dry.stderr);
  for (const command of announced) assertShellSyntax(command);

  const init = pyrepo(['init', 'preset', '@acme/web', '--dir', join(dir, 'web site')], dir);
  assert.is(init.code, 0, init.stderr);
  const steps = init.stdout.split('\n').filter(line => /^ {2}\S/.test(line) && !/^ {2}(preset\.json|package\.json|README\.md|test\/)/.test(line));
  assert.ok(steps.some(line => line === `  cd '${join(dir, 'web site')}'`), init.stdout);
  for (const line of steps) assertShellSyntax(line.trim());

  // A .git that a failed git init left: the fix removes it (run here, then the run goes through).
  mkdirSync(join(dir, 'broken', '.git'), { recursive: true });
  const broken = pyrepo(['new', 'wpmedia-django', 'broken', '--yes', '--skip-install'], dir);
  assert.is(broken.code, 2);
  const remove = /remove it \((.+?)\) and run again/.exec(broken.stderr)?.[1];
  assert.ok(remove, broken.stderr);
  assertShellSyntax(remove!);
  assert.is(bash(remove!, dir).status, 0);
  assert.is(pyrepo(['new', 'wpmedia-django', 'broken', '--yes', '--skip-install'], dir).code, 0);
});

test('new refuses a folder inside another git work tree (exit 2, nothing written) unless --in-existing-git; its own repository is fine', () => {
  const dir = folders.make();
  assert.is(spawnSync('git', ['init', '--quiet'], { cwd: dir }).status, 0);
  const before = folderState(dir);
  const refused = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install'], dir);
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, new RegExp(`${join(dir, 'app')} is inside the git work tree of ${dir}`));
  assert.match(refused.stderr, /fix: generate it outside \(e\.g\. pyrepo new wpmedia-django \S+\/app\), or pass --in-existing-git/);
  assert.equal(folderState(dir), before, 'nothing written');
  assert.is(pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--dry-run'], dir).code, 2, 'a dry run refuses it too');

  const inside = pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install', '--in-existing-git'], dir);
  assert.is(inside.code, 0, inside.stderr);
  assert.not.ok(existsSync(join(dir, 'app', '.git')), 'no repository of its own inside the other one');
  // A repository of its own (a re-run in one pyrepo made) is not inside another one.
  const own = folders.make();
  assert.is(pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--skip-install'], own).code, 0);
  assert.ok(existsSync(join(own, 'app', '.git')));
  const rerun = pyrepo(['new', 'wpmedia-django', '.', '--yes', '--skip-install'], join(own, 'app'));
  assert.is(rerun.code, 0, rerun.stderr);
});

test("the README's Quick start writes its repository outside the clone, and pyrepo accepts it there", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'));
  const args = /npx pnpm pyrepo (new .+)$/m.exec(quickStart)?.[1]?.split(' ');
  assert.ok(args, 'the Quick start runs pyrepo new');
  const dry = pyrepo([...args!, '--dry-run'], repoRoot);
  assert.is(dry.code, 0, dry.stderr);
  const target = /^Plan: preset \S+ into (.+)$/m.exec(dry.stdout)?.[1];
  assert.ok(target && relative(repoRoot, target).startsWith('..'), `${target} is outside ${repoRoot}`);
});

test('a command without its arguments, an unknown name and --help answer in pyrepo\'s words', () => {
  const dir = folders.make();
  const none = pyrepo(['new'], dir);
  assert.is(none.code, 2);
  assert.match(none.stderr, /pyrepo new needs a preset, and the folder to create \(default: the current one\)\.\n +fix: for example: pyrepo new wpmedia-django my-app \(`pyrepo list` shows the presets and generators/);
  assert.not.match(none.stderr, /non-option/);
  assert.match(pyrepo(['info'], dir).stderr, /pyrepo info needs the name of a preset or generator\./);

  const info = pyrepo(['info', 'wpmedia'], dir);
  assert.is(info.code, 2);
  assert.match(info.stderr, /Unknown preset or generator "wpmedia"\. Did you mean "wpmedia-django"\?\n +fix: use a preset \(docker-wheels, .*wpmedia-django\) or a generator \(deploy, /);

  const help = pyrepo(['new', 'wpmedia-django', '--help'], dir).stdout;
  assert.is(help.match(/PEP 508 requirement/g)?.length, 1, 'the rule of the four requirements lists, once');
  assert.match(help, /--ci +Requirements CI needs on top of base: test runners, linters\. Accepts the same as --base\./);
  assert.match(help, /--port +TCP port the application listens on\. .*\[number\]/);
  assert.match(help, /--line-length +Maximum line length .*\[number\]/);
  const docs = /^Docs: (.+)$/m.exec(help)?.[1];
  assert.ok(docs && isAbsolute(docs) && existsSync(docs), `an absolute reference: ${docs}`);
  // A value yargs would have made NaN still reaches the validator as given.
  assert.match(pyrepo(['new', 'wpmedia-django', 'x', '--port', 'eighty'], dir).stderr, /Invalid --port: .*\(got "eighty"\)/);
});

test.run();
