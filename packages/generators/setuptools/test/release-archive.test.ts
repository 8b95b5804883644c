// What a release archive must hold, checked by setuptools itself (Debian's, through python -m build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { python, runPyrepo, runTool } from '@pyrepo/testing';

// Not a git checkout: the version setuptools-scm would read from the tag is given (its documented override).
const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', SETUPTOOLS_SCM_PRETEND_VERSION: '1.0.0' };

/** python -m build (the source archive, then the wheel from it), with everything setuptools said on either stream. */
function build(dir: string, what: string[] = []): string {
  return runTool('sh', ['-c', '"$0" -m build --no-isolation --outdir dist "$@" 2>&1', python, ...what], { cwd: dir, env });
}

const members = (dir: string, archive: string) => execFileSync('tar', ['-tzf', join(dir, 'dist', archive)], { encoding: 'utf8' }).split('\n').map(line => line.replace(/^[^/]+\//, ''));

test('a vendoring repository: no source archive without vendors/ (missing, or holding no package); with it, vendors/ is in the archive, which requires the project\'s Python minor version', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'flask', 'vendor', 'setuptools'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen', python: '3.11' } });
  try {
    for (const prepare of [() => undefined, () => mkdirSync(join(run.dir, 'vendors'))]) {
      prepare();
      try {
        build(run.dir, ['--sdist']);
        assert.unreachable('built a release archive without its dependencies');
      } catch (error) {
        assert.match((error as Error).message, /vendors\/ is missing or holds no package: run scripts\/vendor\.sh first/);
      }
    }
    mkdirSync(join(run.dir, 'vendors', 'tinydep-1.0.dist-info'));
    writeFileSync(join(run.dir, 'vendors', 'tinydep-1.0.dist-info', 'METADATA'), 'Metadata-Version: 2.1\nName: tinydep\nVersion: 1.0\n');
    writeFileSync(join(run.dir, 'vendors', 'tinydep.py'), 'VALUE = 1\n');
    build(run.dir, ['--sdist']);
    const archive = readdirSync(join(run.dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
    assert.ok(members(run.dir, archive).includes('vendors/tinydep.py'));
    const info = execFileSync('tar', ['-xzOf', join(run.dir, 'dist', archive), archive.replace(/\.tar\.gz$/, '/PKG-INFO')], { encoding: 'utf8' });
    assert.match(info, /^Requires-Python: ==3\.11\.\*$/m);
  } finally {
    run.cleanup();
  }
});

test('Django: MANIFEST.in names only the data patterns the package has, so setuptools finds a file for every include line (no "no files found" warning), and the template ships', async () => {
  const run = await runPyrepo({
    generators: ['requirements', 'django', 'uwsgi', 'setuptools'],
    values: { name: 'polls', framework: 'django', python: '3.11' },
    files: { 'polls/templates/polls/page.html': '<p>page</p>\n' },
  });
  try {
    assert.match(run.read('MANIFEST.in'), /^recursive-include polls \*\.html$/m);
    const output = build(run.dir);
    assert.not.match(output, /no files found matching/, output);
    const archive = readdirSync(join(run.dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
    assert.ok(members(run.dir, archive).includes('polls/templates/polls/page.html'));
    const wheel = readdirSync(join(run.dir, 'dist')).find(file => file.endsWith('.whl'))!;
    assert.match(execFileSync(python, ['-m', 'zipfile', '-l', join(run.dir, 'dist', wheel)], { encoding: 'utf8' }), /polls\/templates\/polls\/page\.html/);
  } finally {
    run.cleanup();
  }
  const bare = await runPyrepo({ generators: ['requirements', 'django', 'setuptools'], values: { name: 'polls', framework: 'django', python: '3.11' } });
  try {
    assert.not.match(bare.read('MANIFEST.in'), /recursive-include|graft/);
    const output = build(bare.dir, ['--sdist']);
    assert.not.match(output, /no files found matching/, output);
  } finally {
    bare.cleanup();
  }
});

test.run();
