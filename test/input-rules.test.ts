// Safe in a folder pyrepo did not make: what was there before is not pyrepo's to commit, a broken
// .git is reported, and input that would land in the wrong place is refused (exit 2, the reason
// and the fix, nothing written). Each test runs the real CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  // Everything committed is a file pyrepo generated: recorded in .yo-rc.json with its hash (the records themselves aside).
  const recorded = Object.keys((JSON.parse(execFileSync('git', ['show', 'HEAD:.yo-rc.json'], { cwd: target, encoding: 'utf8' })) as { 'generator-pyrepo': { files: Record<string, string> } })['generator-pyrepo'].files);
  assert.equal(committed.filter(file => file !== '.yo-rc.json' && file !== '.pyrepo-base.json'), recorded.sort());
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

/** The real CLI, killed (SIGKILL: a synchronous loop hears no other signal) if it does not finish in time. */
function pyrepoWithin(seconds: number, args: string[], cwd: string): { code: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: seconds * 1000, killSignal: 'SIGKILL' });
  return { code: result.status, signal: result.signal, stderr: result.stderr };
}

test('an empty preset or generator name is a usage error (exit 2), and nothing is written', () => {
  const home = temp.make();
  const result = pyrepoWithin(30, ['new', '', 'x', '--yes', '--skip-install'], home);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /The preset name is empty\.\n\s+fix: give a preset/);
  assert.is(folderState(join(home, 'x')), 'absent');
  const added = pyrepoWithin(30, ['add', ' ', '--yes', '--skip-install'], home);
  assert.is(added.code, 2, added.stderr);
  assert.match(added.stderr, /A generator name is empty\./);
  assert.equal(folderState(home), {});
});

test('a target that cannot be a repository folder (under /proc, /sys, /dev, or below a file) is refused with exit 2 before anything, at once', () => {
  const home = temp.make();
  writeFileSync(join(home, 'a-file'), 'x\n');
  const cases: Array<[string, RegExp]> = [
    ['/proc/self/x', /\/proc\/self\/x is under \/proc, a file system of the kernel/],
    ['/sys/kernel/x', /is under \/sys/],
    ['/dev/pyrepo-x', /is under \/dev/],
    [join(home, 'a-file', 'sub'), /a-file\/sub cannot be created: .*a-file is a file, not a folder/],
    [join(home, 'a-file'), /a-file exists and is not a folder/],
  ];
  for (const [target, problem] of cases) {
    const started = Date.now();
    const result = pyrepoWithin(20, ['new', 'fastapi-shiv', target, '--yes', '--skip-install'], home);
    assert.is(result.signal, null, `${target}: killed after ${Date.now() - started} ms`);
    assert.is(result.code, 2, `${target}: ${result.stderr}`);
    assert.match(result.stderr, problem);
    assert.match(result.stderr, /fix: give a folder/);
  }
  // /dev/shm is an ordinary tmpfs under /dev: a repository may live there.
  const inShm = pyrepoWithin(20, ['new', 'fastapi-shiv', `/dev/shm/pyrepo-input-rules-${process.pid}`, '--yes', '--skip-install', '--dry-run'], home);
  assert.is(inShm.code, 0, inShm.stderr);
  const added = pyrepoWithin(20, ['add', 'pyproject', '--dir', '/proc/self', '--yes'], home);
  assert.is(added.code, 2, added.stderr);
  assert.match(added.stderr, /\/proc\/self is under \/proc/);
  assert.equal(Object.keys(folderState(home) as object), ['a-file']);
});

test('`pyrepo init` writes valid JSON whatever --description and --extends hold: each value is data, not JSON text', () => {
  const home = temp.make();
  const parent = 'team "one", "x": 1.json';
  writeFileSync(join(home, parent), JSON.stringify({ name: 'team-one', description: 'A team preset', extends: 'wpmedia-django', generators: [] }));
  const description = 'Says "hi", \\ and {"injected": true}';
  const result = pyrepo(['init', 'preset', 'web', '--dir', 'out/web', '--description', description, '--extends', `./${parent}`], home);
  assert.is(result.code, 0, result.stderr);
  const packageJson = JSON.parse(readFileSync(join(home, 'out', 'web', 'package.json'), 'utf8')) as Record<string, unknown>;
  const presetJson = JSON.parse(readFileSync(join(home, 'out', 'web', 'preset.json'), 'utf8')) as Record<string, unknown>;
  assert.is(packageJson.description, description);
  assert.is(presetJson.description, description);
  assert.not.ok('injected' in presetJson || 'x' in presetJson);
  // The path is read from the new package's folder, where it still names the same file.
  assert.is(presetJson.extends, `../../${parent}`);
  assert.is(resolve(home, 'out', 'web', presetJson.extends as string), join(home, parent));
});

test('`pyrepo init` refuses a --description or --extends with a line break, a control or a bidirectional override: exit 2, nothing written', () => {
  const home = temp.make();
  for (const args of [['--description', 'evil\u202Etxt.exe'], ['--description', 'a\u0085b'], ['--description', 'two\nlines'], ['--extends', 'wpmedia-django\u009b']]) {
    const result = pyrepo(['init', 'preset', 'web', ...args], home);
    assert.is(result.code, 2, `${JSON.stringify(args)}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`The ${args[0]} value .* holds a line break, a control or a format character[\\s\\S]*fix: pass ${args[0]}`));
    assert.equal(folderState(home), {});
  }
});

test('a team generator whose schema.json is far too big (20,000 options) is refused with a clear error, no stack overflow', () => {
  const home = temp.make();
  const generator = join(home, 'huge');
  mkdirSync(generator);
  const properties = Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`option${index}`, { type: 'boolean', description: 'An option.' }]));
  writeFileSync(join(generator, 'schema.json'), JSON.stringify({ $id: 'pyrepo-generator://huge', title: 'huge', description: 'Too big.', type: 'object', additionalProperties: false, properties }));
  writeFileSync(join(generator, 'package.json'), JSON.stringify({ name: 'huge', version: '1.0.0', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } }));
  writeFileSync(join(generator, 'index.js'), 'export default class {}\n');
  const target = join(home, 'repo');
  mkdirSync(target);
  const result = pyrepo(['add', generator, '--yes', '--skip-install'], target);
  assert.not.match(result.stderr, /Maximum call stack|RangeError/);
  assert.match(result.stderr, /invalid schema\.json:\n\s+\(top level\) holds more than 5000 values/);
  assert.ok(result.code === 1 || result.code === 2, `exit ${result.code}`);
  assert.equal(folderState(target), {});
});

test('--venv-dir naming a folder of the project\'s own files (src, requirements, the package, ...) is refused with exit 2, nothing written', () => {
  const home = temp.make();
  for (const [preset, folder] of [['fastapi-shiv', 'src'], ['wpmedia-django', 'requirements'], ['wpmedia-django', 'blog'], ['flask-vendored', 'vendors'], ['fastapi-shiv', 'tests']]) {
    const target = join(home, 'blog');
    const result = pyrepo(['new', preset!, target, '--yes', '--skip-install', '--venv-dir', folder!], home);
    assert.is(result.code, 2, `${preset} --venv-dir ${folder}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`Invalid --venv-dir: "${folder}" is a folder of the project's own files[\\s\\S]*fix: pass --venv-dir with a folder of its own`));
    assert.is(folderState(target), 'absent');
  }
  assert.is(pyrepo(['new', 'fastapi-shiv', join(home, 'ok'), '--yes', '--skip-install', '--skip-git', '--venv-dir', 'env'], home).code, 0);
});

test('a package named like a standard-library module or one the framework installs (os, site, email, compression, django, starlette) is refused with exit 2 and the reason', () => {
  const home = temp.make();
  const cases: Array<[string[], RegExp]> = [
    [['--package', 'os'], /Invalid --package: "os" is the name of a module of Python's standard library/],
    [['--package', 'email'], /"email" is the name of a module of Python's standard library/],
    [['--name', 'site'], /Invalid --package \(derived from the project name "site"\): "site" is the name of a module of Python's standard library/],
    [['--name', 'django'], /"django" is the name of a module the project installs/],
    [['--package', 'starlette'], /"starlette" is the name of a module the project installs/],
    // Added in Python 3.14, after the Python the list is read from.
    [['--package', 'compression'], /"compression" is the name of a module of Python's standard library/],
  ];
  for (const [args, problem] of cases) {
    const target = join(home, 'out');
    const result = pyrepo(['new', args.includes('django') ? 'wpmedia-django' : 'fastapi-shiv', target, '--yes', '--skip-install', ...args], home);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, problem);
    assert.match(result.stderr, /fix: pass --package with another name/);
    assert.is(folderState(target), 'absent');
  }
});

test.run();
