// Safe in a folder pyrepo did not make: what was there before is not pyrepo's to commit, a broken
// .git is reported, and input that would land in the wrong place is refused (exit 2, the reason
// and the fix, nothing written). Each test runs the real CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, folderState, pyrepo, tempFolders } from './helpers/cli.js';

const temp = tempFolders('pyrepo-input-');
test.after(temp.cleanup);

/** An environment whose git has an identity of its own: the tests do not depend on the machine's git configuration. */
function gitEnvironment(home: string): NodeJS.ProcessEnv {
  writeFileSync(join(home, 'gitconfig'), '[user]\n\tname = Input Rules\n\temail = input-rules@example.com\n[init]\n\tdefaultBranch = main\n');
  return { HOME: home, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: home };
}

test('secrets in the folder before `new` stay out of the initial commit: git holds only the files pyrepo generated', () => {
  const home = temp.make();
  const target = join(home, 'service');
  mkdirSync(join(target, '.aws'), { recursive: true });
  writeFileSync(join(target, 'server.pem'), '-----BEGIN PRIVATE KEY-----\n');
  writeFileSync(join(target, '.aws', 'credentials'), '[default]\naws_secret_access_key = x\n');
  // A name git would read as pathspec magic or a glob if it were not literal.
  writeFileSync(join(target, ':(glob)*'), 'not pyrepo\'s\n');
  const result = pyrepo(['new', 'fastapi-shiv', target, '--yes', '--skip-install'], home, gitEnvironment(home));
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout + result.stderr, /made the first commit/);
  const committed = execFileSync('git', ['ls-files', '-z'], { cwd: target, encoding: 'utf8' }).split('\0').filter(Boolean).sort();
  for (const secret of ['server.pem', '.aws/credentials', ':(glob)*']) assert.not.ok(committed.includes(secret), `${secret} was committed`);
  const generated = ['.gitignore', '.yo-rc.json', 'README.md', 'pyproject.toml', 'setup.py', 'src/service/main.py', 'deploy/service.service'];
  for (const file of generated) assert.ok(committed.includes(file), `${file} is not committed: ${committed.join(', ')}`);
  // Everything committed is a file pyrepo generated: recorded in .yo-rc.json with its hash.
  const recorded = Object.keys((JSON.parse(execFileSync('git', ['show', 'HEAD:.yo-rc.json'], { cwd: target, encoding: 'utf8' })) as { 'generator-pyrepo': { files: Record<string, string> } })['generator-pyrepo'].files);
  assert.equal(committed.filter(file => file !== '.yo-rc.json'), recorded.sort());
});

test('a broken .git (a git init that failed) is reported with the fix, and nothing is written', () => {
  const home = temp.make();
  for (const [name, make] of [
    ['empty-git-folder', (git: string) => mkdirSync(git)],
    ['git-file-without-gitdir', (git: string) => writeFileSync(git, 'garbage\n')],
  ] as const) {
    const target = join(home, name);
    mkdirSync(target);
    make(join(target, '.git'));
    const before = folderState(target);
    const result = pyrepo(['new', 'fastapi-shiv', target, '--yes', '--skip-install'], home, gitEnvironment(home));
    assert.is(result.code, 2, `${name}: ${result.stderr}`);
    assert.ok(result.stderr.includes(`${join(target, '.git')} is not a working git repository`), result.stderr);
    assert.match(result.stderr, /fix: remove it \(rm -rf '.*\.git'\) and run again.*or pass --skip-git/);
    assert.equal(folderState(target), before, `${name}: nothing written`);
  }
});

test('`pyrepo list | true` (a reader that stops reading) exits 0 quietly: no EPIPE stack trace', () => {
  const home = temp.make();
  for (const args of ['list', 'list --json', 'info wpmedia-django', '--help']) {
    // `true` exits at once, long before pyrepo prints: every write meets a closed pipe.
    const result = spawnSync('bash', ['-c', `"$0" "$1" ${args} | true; echo "status \${PIPESTATUS[0]}" >&2`, process.execPath, bin], { cwd: home, encoding: 'utf8' });
    assert.is(result.stderr, 'status 0\n', `pyrepo ${args}`);
  }
});

test.run();
