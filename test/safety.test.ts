// The user's files are never lost: updates without questions only where pyrepo's own file is
// unchanged, all-or-nothing writes (a failing, hostile or interrupted run leaves the folder as it
// was), atomic replacement, install failures that keep the files. Runs the real CLI.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, fixtures, folderState, pyrepo, runInBackground, tempFolders } from './helpers/cli.js';
import { runInTerminal } from './helpers/terminal.js';

const folders = tempFolders('pyrepo-safety-');
const work = folders.make;
test.after(folders.cleanup);

const fixture = (name: string) => join(fixtures, `${name}-generator`);
/** What pyrepo's commit makes while it works (the run folder .pyrepo.lock, its temporaries new-*); none may survive a run. */
const temporaries = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(path => /(^|\/)\.pyrepo\.lock(\/|$)/.test(path)) : [];

test('a file pyrepo wrote and the user did not change is updated without a question ("update"); once the user edits it, it is theirs', () => {
  const dir = work();
  const sample = fixture('sample');
  assert.is(pyrepo(['add', sample, '--trust', '--yes', '--name', 'demo'], dir).code, 0);
  const updated = pyrepo(['add', sample, '--trust', '--yes', '--greeting', 'Good morning'], dir);
  assert.is(updated.code, 0, updated.stderr);
  assert.match(updated.stderr, /update hello\.txt/);
  assert.match(readFileSync(join(dir, 'hello.txt'), 'utf8'), /Good morning, demo/);

  writeFileSync(join(dir, 'hello.txt'), 'Good morning, and my own words\n');
  const kept = pyrepo(['add', sample, '--trust', '--yes', '--greeting', 'Good evening'], dir);
  assert.is(kept.code, 3, kept.stderr);
  assert.match(kept.stderr, /left 1 file\(s\) you changed as they are:\n  hello\.txt/);
  assert.is(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'Good morning, and my own words\n');
  // Skipping does not make the file pyrepo's again: the next run asks (skips) again.
  assert.is(pyrepo(['add', sample, '--trust', '--yes', '--greeting', 'Good evening'], dir).code, 3);
});

test('in a terminal, a file the user changed gets Yeoman\'s conflict prompt, with the diff on request; skipping keeps it, the other files update', async () => {
  const dir = work();
  const sample = fixture('sample');
  assert.is(pyrepo(['add', sample, '--trust', '--yes', '--name', 'demo'], dir).code, 0);
  writeFileSync(join(dir, 'hello.txt'), 'my own words\n');
  const answered = await runInTerminal([process.execPath, bin, 'add', sample, '--trust', '--greeting', 'Good evening'], { cwd: dir }, [
    [/Overwrite hello\.txt\?/, 'd\r'],
    [/\+Good evening, demo[\s\S]*Overwrite hello\.txt\?/, 'n\r'],
  ]);
  assert.is(answered.code, 0, answered.output);
  assert.match(answered.output, /-my own words/);
  assert.is(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'my own words\n');
  assert.match(readFileSync(join(dir, 'bin', 'run.sh'), 'utf8'), /echo "Good evening, demo"/);
});

test('Ctrl-C at the conflict prompt writes nothing of the run: exit 130, the updates that were due not made either', async () => {
  const dir = work();
  const sample = fixture('sample');
  assert.is(pyrepo(['add', sample, '--trust', '--yes', '--name', 'demo'], dir).code, 0);
  writeFileSync(join(dir, 'hello.txt'), 'my own words\n');
  const before = folderState(dir);
  const cancelled = await runInTerminal([process.execPath, bin, 'add', sample, '--trust', '--greeting', 'Good evening'], { cwd: dir }, [[/Overwrite hello\.txt\?/, '\x03']]);
  assert.is(cancelled.code, 130, cancelled.output);
  assert.match(cancelled.output, /nothing was written/);
  assert.equal(folderState(dir), before);
});

for (const escape of ['template-path', 'fs-write', 'symlink', 'absolute']) {
  test(`a generator package that writes outside the repository (${escape}) is refused: exit 1, nothing written anywhere`, () => {
    const root = work();
    const dir = join(root, 'repo');
    const outside = join(root, 'outside');
    const target = join(root, 'absolute-escape.txt');
    mkdirSync(dir);
    mkdirSync(outside);
    writeFileSync(join(dir, 'keep.txt'), 'the user\'s\n');
    if (escape === 'symlink') symlinkSync(outside, join(dir, 'outside'));
    const before = folderState(root);
    const result = pyrepo(['add', fixture('hostile'), '--trust', '--yes', '--name', 'demo', '--escape', escape, '--target', target], dir);
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, /(Refused to write \S*escape\S*: it is outside the repository|tried to write \S*escape\S*, outside the repository)/);
    assert.match(result.stderr, /nothing was written/i);
    assert.not.match(result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(folderState(root), before, 'not the escape, not the legitimate file, not .yo-rc.json');
  });
}

test('a generator that throws while writing: exit 1 with its message, no file of the run on disk, the user\'s .gitignore untouched', () => {
  const dir = work();
  writeFileSync(join(dir, '.gitignore'), '/mine/\n');
  const before = folderState(dir);
  const result = pyrepo(['add', fixture('failing'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /generation failed: the failing generator broke while writing\n\(run with --debug for the stack trace\)/);
  assert.equal(folderState(dir), before);
});

test('a generator that throws in the install step: exit 1, and the files it wrote stay', () => {
  const dir = work();
  const result = pyrepo(['add', fixture('failing'), '--trust', '--yes', '--name', 'demo', '--phase', 'install'], dir);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /broke while installing/);
  assert.is(readFileSync(join(dir, 'first.txt'), 'utf8'), 'written before the failure\n');
  assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /\/failing-output\//);
});

test('a file that cannot be written (a file where a folder must go) fails the run before any file lands: exit 1, no temporaries', () => {
  const root = work();
  const dir = join(root, 'blog');
  mkdirSync(dir);
  writeFileSync(join(dir, 'docker'), 'a file named like the folder pyrepo needs\n');
  const before = folderState(dir);
  const result = pyrepo(['new', 'wpmedia-django', 'blog', '--yes', '--skip-install'], root);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /Could not write the files \(.*docker.*\); nothing was written\./);
  assert.equal(folderState(dir), before);
  assert.equal(temporaries(dir), []);
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} while the generators write (before the commit): exit ${code}, the folder as it was`, async () => {
    const dir = work();
    // The marker goes in a small folder of its own, watched for it (not in the repository, whose state is compared).
    const signals = work();
    const marker = join(signals, 'marker');
    writeFileSync(join(dir, 'keep.txt'), 'the user\'s\n');
    const before = folderState(dir);
    const result = await runInBackground(['add', fixture('slow'), '--trust', '--yes', '--name', 'demo', '--files', '50', '--pause', '20000', '--marker', marker], dir, () => existsSync(marker), child => child.kill(signal), signals);
    assert.ok(result.acted, 'the run reached the pause');
    assert.is(result.code, code, result.stderr);
    assert.match(result.stderr, new RegExp(`interrupted \\(${signal}\\); nothing was written`), result.stderr);
    assert.equal(folderState(dir), before);
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} in the middle of the commit: every file is the old one or every file is the new one, whole, and no temporary is left`, async () => {
    const dir = work();
    const files = 200;
    const args = (generation: number) => ['add', fixture('slow'), '--trust', '--yes', '--name', 'demo', '--files', String(files), '--kilobytes', '128', '--generation', String(generation)];
    const first = pyrepo(args(1), dir);
    assert.is(first.code, 0, first.stderr);
    const old = folderState(dir);
    // The signal goes as soon as the commit's first temporary file appears.
    const result = await runInBackground(args(2), dir, () => temporaries(dir).some(path => /\/new-/.test(path)), child => child.kill(signal));
    assert.ok(result.acted, 'the signal arrived during the commit');
    assert.is(result.code, signal === 'SIGINT' ? 130 : 143, result.stderr);
    assert.equal(temporaries(dir), []);
    const data = readdirSync(join(dir, 'data')).map(file => readFileSync(join(dir, 'data', file), 'utf8'));
    const generations = new Set(data.map(text => /^generation (\d+)\n/.exec(text)?.[1]));
    assert.is(generations.size, 1, `files of one generation only (found ${[...generations].join(', ')})`);
    const generation = [...generations][0]!;
    const line = `generation ${generation}\n`;
    const whole = line.repeat(Math.ceil((128 * 1024) / line.length));
    assert.ok(data.length === files && data.every(text => text === whole), 'every file whole');
    if (generation === '1') {
      assert.equal(folderState(dir), old, 'interrupted before the renames: nothing changed');
      assert.match(result.stderr, /nothing was written/);
    } else {
      assert.is(generation, '2');
      assert.match(result.stderr, /the files were written/);
    }
  });
}

test.run();
