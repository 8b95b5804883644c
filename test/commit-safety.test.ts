// Safe in a repository you did not write: writes that cannot be redirected (planted links, devices,
// FIFOs), all or nothing for real (a folder where a file goes, HUP/QUIT/KILL mid-commit), no lost
// edits or updates (an edit during the run, two runs at once), and runs that never end looking like
// success when they did not succeed. Runs the real CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtures, folderState, pyrepo, runInBackground, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-commit-safety-');
const work = folders.make;
test.after(folders.cleanup);

const fixture = (name: string) => join(fixtures, `${name}-generator`);
const noStackTrace = (stderr: string) => assert.not.match(stderr, /^\s+at /m, 'no stack trace');

/** Everything pyrepo's commit makes while it works: the run folder and any temporary (old names included); none may survive a run. */
const leftovers = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(path => /(^|\/)\.pyrepo\.lock(\/|$)|\.pyrepo-\d+-\d+$/.test(path)) : [];
/** The commit's temporaries, while a run works. */
const temporariesAppeared = (dir: string) => () => leftovers(dir).some(path => /\/new-/.test(path));

const slowArgs = (generation: number, files = 200) => ['add', fixture('slow'), '--trust', '--yes', '--name', 'demo', '--files', String(files), '--kilobytes', '128', '--generation', String(generation)];
const generationOf = (dir: string) => new Set(readdirSync(join(dir, 'data')).map(file => /^generation (\d+)\n/.exec(readFileSync(join(dir, 'data', file), 'utf8'))?.[1]));

// --- Writes that cannot be redirected -------------------------------------------------------------

test('symlinks planted at every name the old temporaries could take (.<file>.pyrepo-<pid>-<n>, the next 300 pids) redirect nothing: the victim outside is untouched, the files are regular', () => {
  const root = work();
  const dir = join(root, 'repo');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'outside the repository\n');
  const lastPid = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  for (let pid = lastPid + 1; pid <= lastPid + 300; pid++) {
    for (let index = 0; index < 3; index++) {
      symlinkSync(victim, join(dir, `.hello.txt.pyrepo-${pid}-${index}`));
      symlinkSync(victim, join(dir, '.yo-rc.json.pyrepo-' + `${pid}-${index}`));
      symlinkSync(victim, join(dir, 'bin', `.run.sh.pyrepo-${pid}-${index}`));
    }
  }
  const result = pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.is(readFileSync(victim, 'utf8'), 'outside the repository\n');
  for (const file of ['hello.txt', 'bin/run.sh', '.yo-rc.json']) assert.ok(lstatSync(join(dir, file)).isFile(), `${file} is a regular file`);
  assert.match(readFileSync(join(dir, 'hello.txt'), 'utf8'), /Hello, demo/);
});

test('a run folder (.pyrepo.lock) planted as a symlink to a folder outside is refused, nothing written through it; one left by a dead run, holding a link, is taken over without following it', () => {
  const root = work();
  const dir = join(root, 'repo');
  const outside = join(root, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  symlinkSync(outside, join(dir, '.pyrepo.lock'));
  const before = folderState(root);
  const refused = pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /\.pyrepo\.lock is not pyrepo's run folder \(it is a symbolic link\)\. Remove it and run again; nothing was written\./);
  noStackTrace(refused.stderr);
  assert.equal(folderState(root), before);

  rmSync(join(dir, '.pyrepo.lock'));
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'outside the repository\n');
  mkdirSync(join(dir, '.pyrepo.lock'));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(dir, '.pyrepo.lock', 'pid'), `${dead.stdout}\n`);
  symlinkSync(victim, join(dir, '.pyrepo.lock', 'new-planted'));
  const taken = pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(taken.code, 0, taken.stderr);
  assert.is(readFileSync(victim, 'utf8'), 'outside the repository\n');
  assert.equal(leftovers(dir), []);
});

test('a shared file that is a symlink to a secret outside (.gitignore -> ~/secret) is refused, never read or replaced: exit 1, the link and the secret as they were', () => {
  const root = work();
  const dir = join(root, 'repo');
  mkdirSync(dir);
  const secret = join(root, 'secret');
  writeFileSync(secret, 'API_KEY=do-not-commit\n');
  symlinkSync(secret, join(dir, '.gitignore'));
  const before = folderState(root);
  const result = pyrepo(['add', fixture('rogue'), '--trust', '--yes', '--name', 'demo', '--layout', 'single'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /\.gitignore is a symbolic link, where pyrepo reads or writes a regular file; pyrepo neither reads nor writes through links: replace the link with a regular file .*Nothing was written\./);
  noStackTrace(result.stderr);
  assert.equal(folderState(root), before);
  assert.equal(leftovers(dir), []);
});

test('a file of the run that is a symlink to a file inside the repository is refused too (never replaced by a mode-0777 copy)', () => {
  const dir = work();
  writeFileSync(join(dir, 'mine.txt'), 'the user\'s\n');
  symlinkSync('mine.txt', join(dir, 'hello.txt'));
  const before = folderState(dir);
  const result = pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /hello\.txt is a symbolic link/);
  assert.equal(folderState(dir), before);
});

for (const [what, plant, expected] of [
  ['.gitignore -> /dev/zero', (dir: string) => symlinkSync('/dev/zero', join(dir, '.gitignore')), /\.gitignore is a symbolic link/],
  ['.yo-rc.json -> /dev/zero', (dir: string) => symlinkSync('/dev/zero', join(dir, '.yo-rc.json')), /\.yo-rc\.json is a symbolic link/],
  ['requirements.txt with -r ../../../../../../../../dev/zero', (dir: string) => writeFileSync(join(dir, 'requirements.txt'), 'django\n-r ../../../../../../../../dev/zero\n'), /requirements\.txt includes \S*dev\/zero \(-r\), which is outside the repository/],
  ['requirements.txt with -r /dev/zero', (dir: string) => writeFileSync(join(dir, 'requirements.txt'), '-r /dev/zero\n'), /requirements\.txt includes \/dev\/zero \(-r\), which is outside the repository/],
  ['.gitignore a FIFO', (dir: string) => spawnSync('mkfifo', [join(dir, '.gitignore')]), /\.gitignore is a named pipe \(FIFO\)/],
  ['requirements.txt with -r big.txt, 5 MiB', (dir: string) => {
    writeFileSync(join(dir, 'requirements.txt'), '-r big.txt\n');
    writeFileSync(join(dir, 'big.txt'), `${'# padding\n'.repeat(512 * 1024)}`);
  }, /big\.txt is larger than 4 MiB/],
] as const) {
  test(`${what}: refused fast, with the file named, nothing read past the limit, nothing written`, () => {
    const dir = work();
    plant(dir);
    const names = readdirSync(dir).sort();
    const started = Date.now();
    const result = pyrepo(['add', fixture('rogue'), '--trust', '--yes', '--name', 'demo', '--layout', 'single'], dir, {}, 20_000);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, expected);
    assert.match(result.stderr, /Nothing was written\./);
    noStackTrace(result.stderr);
    assert.equal(readdirSync(dir).sort(), names, 'no file added');
    if (what.startsWith('requirements')) assert.is(readFileSync(join(dir, 'requirements.txt'), 'utf8').includes('requests'), false);
  });
}

// --- All or nothing -------------------------------------------------------------------------------

test('a folder where a file is to be replaced (mkdir uwsgi.ini) fails the run before any rename: exit 1, .yo-rc.json and every other file as they were, no temporaries', () => {
  const root = work();
  const dir = join(root, 'blog');
  const first = pyrepo(['new', 'wpmedia-django', 'blog', '--yes', '--skip-install'], root);
  assert.is(first.code, 0, first.stderr);
  rmSync(join(dir, 'uwsgi.ini'));
  mkdirSync(join(dir, 'uwsgi.ini'));
  writeFileSync(join(dir, 'uwsgi.ini', 'mine.txt'), 'the user\'s\n');
  const before = folderState(dir);
  const result = pyrepo(['new', 'wpmedia-django', 'blog', '--yes', '--skip-install', '--port', '8123'], root);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /uwsgi\.ini is a folder, where pyrepo reads or writes a regular file; move it away, then run again\. Nothing was written\./);
  noStackTrace(result.stderr);
  assert.equal(folderState(dir), before);
  assert.equal(leftovers(dir), []);
});

test('a rename that fails halfway (an immutable file among the targets) puts back every file already replaced: exit 1, generation 1 everywhere, no temporaries', () => {
  // Root's chattr +i makes the rename onto that one file fail (EPERM) after others were renamed;
  // every check before the renames passes, as for a disk that fails mid-way.
  assert.is(process.getuid?.(), 0, 'this test makes a file immutable (chattr +i): run the suite as root, as CI does');
  const dir = work();
  const first = pyrepo(slowArgs(1), dir);
  assert.is(first.code, 0, first.stderr);
  const old = folderState(dir);
  const stuck = join(dir, 'data', readdirSync(join(dir, 'data')).sort().at(-1)!);
  const chattr = (flag: string) => {
    const result = spawnSync('chattr', [flag, stuck], { encoding: 'utf8' });
    assert.is(result.status, 0, `chattr ${flag}: ${result.stderr}`);
  };
  chattr('+i');
  try {
    const result = pyrepo(slowArgs(2), dir);
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, /nothing was written/i);
    noStackTrace(result.stderr);
  } finally {
    chattr('-i');
  }
  assert.equal(folderState(dir), old);
  assert.equal([...generationOf(dir)], ['1']);
  assert.equal(leftovers(dir), []);
});

for (const [signal, code] of [['SIGHUP', 129], ['SIGQUIT', 131]] as const) {
  test(`${signal} in the middle of the commit: exit ${code}, every file of one generation and whole, no temporary left`, async () => {
    const dir = work();
    const first = pyrepo(slowArgs(1), dir);
    assert.is(first.code, 0, first.stderr);
    const old = folderState(dir);
    const result = await runInBackground(slowArgs(2), dir, temporariesAppeared(dir), child => child.kill(signal));
    assert.ok(result.acted, 'the signal arrived during the commit');
    assert.is(result.code, code, result.stderr);
    assert.match(result.stderr, new RegExp(`interrupted \\(${signal}\\); (nothing was written|the files were written)`));
    assert.equal(leftovers(dir), []);
    const generations = generationOf(dir);
    assert.is(generations.size, 1, `one generation (found ${[...generations].join(', ')})`);
    if (generations.has('1')) assert.equal(folderState(dir), old);
  });

  test(`${signal} while the first files are prepared in a new folder: exit ${code}, no folder made (data/ absent), "nothing was written" true`, async () => {
    const dir = work();
    const result = await runInBackground(slowArgs(1, 400), dir, temporariesAppeared(dir), child => child.kill(signal));
    assert.ok(result.acted, 'the signal arrived during the commit');
    assert.is(result.code, code, result.stderr);
    if (/nothing was written/.test(result.stderr)) assert.equal(readdirSync(dir), [], 'no folder, no file, no run folder');
  });
}

test('SIGKILL in the middle of the commit: the files are each whole, what is left is in .pyrepo.lock, which git ignores; the next run removes it and is done', async () => {
  const dir = work();
  spawnSync('git', ['init', '-q', dir]);
  const first = pyrepo(slowArgs(1), dir);
  assert.is(first.code, 0, first.stderr);
  const result = await runInBackground(slowArgs(2), dir, temporariesAppeared(dir), child => child.kill('SIGKILL'));
  assert.ok(result.acted);
  assert.is(result.signal, 'SIGKILL');
  assert.ok(leftovers(dir).length > 0, 'the killed run left its run folder');
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });
  assert.not.match(status.stdout, /pyrepo\.lock|new-/, 'git ignores what the killed run left');
  for (const file of readdirSync(join(dir, 'data'))) assert.match(readFileSync(join(dir, 'data', file), 'utf8'), /^generation [12]\n(generation [12]\n)*$/);
  const rerun = pyrepo(slowArgs(2), dir);
  assert.is(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, /Done/);
  assert.equal(leftovers(dir), []);
  assert.equal([...generationOf(dir)], ['2']);
});

test('--dry-run into a folder that does not exist never makes it (watched as it happens)', async () => {
  const root = work();
  const made: string[] = [];
  const watcher = watch(root, (_event, name) => made.push(String(name)));
  const result = pyrepo(['new', 'wpmedia-django', 'blog', '--yes', '--dry-run'], root);
  await new Promise(resolve => setTimeout(resolve, 100));
  watcher.close();
  assert.is(result.code, 0, result.stderr);
  assert.not.ok(existsSync(join(root, 'blog')));
  assert.equal(made, [], 'no entry was made in the parent folder, even for a moment');
});

// --- No lost edits or updates ---------------------------------------------------------------------

test('a user\'s edit between pyrepo\'s read and its rename is kept: exit 3 naming the file, the others updated', async () => {
  const dir = work();
  const first = pyrepo(slowArgs(1), dir);
  assert.is(first.code, 0, first.stderr);
  const edited = join(dir, 'data', 'file-199.txt');
  const result = await runInBackground(slowArgs(2), dir, temporariesAppeared(dir), () => writeFileSync(edited, 'my edit, made while pyrepo ran\n'));
  assert.ok(result.acted);
  assert.is(result.code, 3, result.stderr);
  assert.match(result.stderr, /left 1 file\(s\) you changed as they are:\n {2}data\/file-199\.txt\n/);
  assert.is(readFileSync(edited, 'utf8'), 'my edit, made while pyrepo ran\n');
  assert.match(readFileSync(join(dir, 'data', 'file-0.txt'), 'utf8'), /^generation 2\n/);
  assert.equal(leftovers(dir), []);
});

test('two `pyrepo add` runs at once in one repository: both finish, neither loses the other\'s .yo-rc.json entries or files (3 rounds)', async () => {
  for (let round = 0; round < 3; round++) {
    const dir = work();
    assert.is(pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo', '--layout', 'single'], dir).code, 0);
    const runs = await Promise.all([
      runInBackground(['add', fixture('rogue'), '--trust', '--yes'], dir, () => false, () => undefined),
      runInBackground(['add', fixture('slow'), '--trust', '--yes', '--files', '20'], dir, () => false, () => undefined),
    ]);
    for (const run of runs) assert.is(run.code, 0, run.stderr);
    const config = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-pyrepo'];
    assert.equal(Object.keys(config.generators).sort(), ['rogue', 'sample', 'slow'], `round ${round}: every generator recorded`);
    for (const file of ['hello.txt', 'rogue.txt', 'data/file-19.txt', 'requirements.txt', '.gitignore']) assert.ok(file in config.files, `round ${round}: ${file} recorded`);
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /\/rogue-output\//);
  }
});

test('a run finding another live run writing waits a few seconds, then exits 1 saying so, nothing written', () => {
  const dir = work();
  mkdirSync(join(dir, '.pyrepo.lock'));
  writeFileSync(join(dir, '.pyrepo.lock', 'pid'), `${process.pid}\n`);
  const started = Date.now();
  const result = pyrepo(['add', fixture('sample'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.ok(Date.now() - started >= 4_000, 'it waited');
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`Another pyrepo run \\(pid ${process.pid}\\) is writing to .*; waited 5 s\\. Run again when it is done`));
  assert.equal(readdirSync(dir), ['.pyrepo.lock']);
});

// --- Ends that must not look like success ---------------------------------------------------------

test('a generator that calls process.exit(0) mid-run: exit 1, saying the run did not finish, nothing written', () => {
  const dir = work();
  const result = pyrepo(['add', fixture('rogue'), '--trust', '--yes', '--name', 'demo', '--act', 'exit-zero'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /the process ended before the run finished \(a generator called process\.exit\(0\)\); nothing was written\./);
  assert.not.match(result.stdout, /Done/);
  assert.equal(readdirSync(dir), []);
});

for (const act of ['timer-throw', 'reject'] as const) {
  test(`a generator's error outside its steps (${act}): a clean error, exit 1, no stack trace, nothing written`, () => {
    const dir = work();
    const result = pyrepo(['add', fixture('rogue'), '--trust', '--yes', '--name', 'demo', '--act', act], dir);
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, /pyrepo: generation failed: the rogue generator (threw from a timer|rejected a promise nobody awaited)\n/);
    assert.match(result.stderr, /nothing was written/);
    noStackTrace(result.stderr);
    assert.equal(readdirSync(dir), []);
  });
}

test('a generator that throws in its install step: exit 1, and the message says the files were written', () => {
  const dir = work();
  const result = pyrepo(['add', fixture('failing'), '--trust', '--yes', '--name', 'demo', '--phase', 'install'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /pyrepo: the files were written, but a step after writing them failed: the failing generator broke while installing/);
  assert.ok(statSync(join(dir, 'first.txt')).isFile());
});

test.run();
