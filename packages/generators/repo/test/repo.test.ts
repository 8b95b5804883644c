import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPyrepo, tempDir } from '@pyrepo/testing';
import { rmSync } from 'node:fs';

test('README with the title and introduction, Python ignores, git init at the end', async () => {
  const run = await runPyrepo({ generators: ['repo'], values: { name: 'Ticket_Triage', description: 'Sorts support tickets.' } });
  try {
    assert.match(run.read('README.md'), /^# ticket-triage\n\nSorts support tickets\.\n\nThis repository was prepared with pyrepo\./);
    assert.match(run.read('.gitignore'), /^# Added by pyrepo \(generator repo\)\n__pycache__\/\n\*\.py\[cod\]\n\*\.egg-info\/\n\/build\/\n\/dist\/\n\.env\n\.env\.\*\n$/);
    assert.ok(existsSync(join(run.dir, '.git', 'HEAD')), 'git init ran');
    assert.match(run.log, /✔ repo: initialize a git repository \(\d+\.\ds\)/);
  } finally {
    run.cleanup();
  }
});

test('an existing README and .gitignore are the user\'s: README untouched, ignore lines merged', async () => {
  const run = await runPyrepo({ generators: ['repo'], values: { name: 'shop', skipGit: true }, files: { 'README.md': '# Shop\n\nOurs.\n', '.gitignore': '*.log\n__pycache__/\n' } });
  try {
    assert.is(run.read('README.md'), '# Shop\n\nOurs.\n');
    assert.is(run.read('.gitignore'), '*.log\n__pycache__/\n\n# Added by pyrepo (generator repo)\n*.py[cod]\n*.egg-info/\n/build/\n/dist/\n.env\n.env.*\n');
    assert.not.ok(existsSync(join(run.dir, '.git')), '--skip-git');
  } finally {
    run.cleanup();
  }
});

test('no nested repository inside an existing work tree, and none on a dry run', async () => {
  const parent = tempDir();
  try {
    execFileSync('git', ['init', '--quiet', parent]);
    const child = join(parent, 'service');
    mkdirSync(child);
    await runPyrepo({ generators: ['repo'], values: { name: 'service' }, dir: child });
    assert.not.ok(existsSync(join(child, '.git')));
    const dry = tempDir();
    await runPyrepo({ generators: ['repo'], values: { name: 'dry' }, dir: dry, dryRun: true });
    assert.not.ok(existsSync(join(dry, '.git')));
    rmSync(dry, { recursive: true, force: true });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('the description must stay one line of text: no line breaks, C1 controls, bidirectional overrides or separators', async () => {
  for (const description of ['two\nlines', 'a `command`', '<script>', 'evil\u202Etxt', 'a\u0085b', 'a\u009b31mb', 'a\u2028b', 'a\u2029b', 'zero\u200Bwidth']) {
    try {
      await runPyrepo({ generators: ['repo'], values: { name: 'x', description } });
      assert.unreachable(description);
    } catch (error) {
      assert.match((error as Error).message, /Invalid option --description of generator "repo": must be one line of at most 200 characters/);
    }
  }
});

test.run();
