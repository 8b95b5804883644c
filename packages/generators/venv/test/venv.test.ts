import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildWheel, offlinePip, runPyrepo, runTool, tempDir, withEnv } from '@pyrepo/testing';

test('the venv folder is ignored and explained, with the layout\'s development requirements', async () => {
  const run = await runPyrepo({ generators: ['venv'], values: { name: 'shop', venvDir: 'env', layout: 'app-dev-frozen' } });
  try {
    assert.match(run.read('.gitignore'), /^\/env\/$/m);
    assert.match(run.read('README.md'), /python3\.12 -m venv env\n\. env\/bin\/activate\npip install -r requirements-dev\.txt/);
    assert.not.ok(existsSync(join(run.dir, 'env')), '--skip-install: no venv');
  } finally {
    run.cleanup();
  }
});

test('the install step creates the venv and installs the development requirements into it', async () => {
  const wheels = tempDir('pyrepo-wheels-');
  buildWheel(wheels, 'alpha', '2.0', 'VALUE = 2\n');
  try {
    const run = await withEnv(offlinePip(wheels), () => runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single' }, files: { 'requirements.txt': 'alpha==2.0\n' }, skipInstall: false }));
    try {
      // The repository's requirements.txt is production's: development installs requirements-dev.txt, made on top of it.
      assert.match(run.log, /venv: \.venv holds requirements-dev\.txt; activate it with \. \.venv\/bin\/activate/);
      assert.match(run.read('requirements-dev.txt'), /^-r requirements\.txt$/m);
      assert.is(run.read('requirements.txt'), 'alpha==2.0\n');
      const venvPython = join(run.dir, '.venv', 'bin', 'python');
      assert.is(runTool(venvPython, ['-c', 'import alpha, sys; print(alpha.VALUE, sys.prefix)']).trim(), `2 ${join(run.dir, '.venv')}`);
    } finally {
      run.cleanup();
    }
  } finally {
    rmSync(wheels, { recursive: true, force: true });
  }
});

test('an install that fails (no index reachable) is reported with the command to run later; the files stay and the run succeeds', async () => {
  await withEnv({ PIP_NO_INDEX: '1' }, async () => {
    const run = await runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single' }, files: { 'requirements.txt': 'Django==6.1.3\n' }, skipInstall: false });
    try {
      assert.match(run.log, /venv: could not install requirements-dev\.txt:/);
      assert.match(run.log, /Run it yourself later: cd \/\S* && \.venv\/bin\/python -m pip install --disable-pip-version-check -r requirements-dev\.txt/);
      assert.match(run.read('.gitignore'), /\/\.venv\//);
      assert.ok(existsSync(join(run.dir, '.venv', 'pyvenv.cfg')));
    } finally {
      run.cleanup();
    }
  });
});

test.run();
