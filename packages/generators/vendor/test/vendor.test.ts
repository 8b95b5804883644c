import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildWheel, checkShellScript, offlinePip, python, runPyrepo, runTool, tempDir } from '@pyrepo/testing';

test('vendor.sh installs what the layout ships into vendors/, replacing what was there, and passes shellcheck', async () => {
  const wheels = tempDir('pyrepo-wheels-');
  buildWheel(wheels, 'alpha', '2.0', 'VALUE = 2\n');
  const run = await runPyrepo({ generators: ['requirements', 'vendor'], values: { name: 'svc', layout: 'layered', prod: ['alpha==2.0'] } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/vendor.sh')), []);
    assert.match(run.read('scripts/vendor.sh'), /--target vendors\.new -r requirements\/prod\.txt/);
    const env = { PATH: process.env.PATH, PYTHON: python, ...offlinePip(wheels) };
    runTool('scripts/vendor.sh', [], { cwd: run.dir, env });
    runTool('scripts/vendor.sh', [], { cwd: run.dir, env });
    assert.ok(existsSync(join(run.dir, 'vendors', 'alpha.py')));
    assert.not.ok(existsSync(join(run.dir, 'vendors.new')));
    assert.match(run.read('.gitignore'), /^\/vendors\/\n\/vendors\.new\/$/m);
    assert.ok(readdirSync(join(run.dir, 'vendors')).includes('alpha-2.0.dist-info'));
  } finally {
    run.cleanup();
    rmSync(wheels, { recursive: true, force: true });
  }
});

test('an empty lock fails vendoring, naming the fix, and leaves the previous vendors/ in place', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'vendor'], values: { name: 'svc', layout: 'app-dev-frozen', base: ['alpha==2.0'] }, files: { 'vendors/keep.py': 'KEEP = 1\n' } });
  const empty = tempDir('pyrepo-wheels-');
  try {
    try {
      runTool('scripts/vendor.sh', [], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHON: python, ...offlinePip(empty) } });
      assert.unreachable('vendored an empty lock');
    } catch (error) {
      assert.match((error as Error).message, /vendor\.sh: requirements\.txt installed no package; freeze it first with scripts\/freeze-requirements\.sh \(vendors\/ is left as it was\)/);
    }
    assert.equal(readdirSync(join(run.dir, 'vendors')), ['keep.py']);
    assert.not.ok(existsSync(join(run.dir, 'vendors.new')));
  } finally {
    run.cleanup();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('a failed install leaves the previous vendors/ in place', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'vendor'], values: { name: 'svc', layout: 'single', base: ['missing==1.0'] }, files: { 'vendors/keep.py': 'KEEP = 1\n' } });
  const empty = tempDir('pyrepo-wheels-');
  try {
    try {
      runTool('scripts/vendor.sh', [], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHON: python, ...offlinePip(empty) } });
      assert.unreachable('vendored a package that does not exist');
    } catch (error) {
      assert.match((error as Error).message, /No matching distribution found for missing==1\.0/);
    }
    assert.ok(existsSync(join(run.dir, 'vendors', 'keep.py')));
  } finally {
    run.cleanup();
    rmSync(empty, { recursive: true, force: true });
  }
});

test.run();
