import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPyrepo } from '@pyrepo/testing';

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

test('the install step creates the venv and installs the development requirements', async () => {
  const run = await runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single' }, files: { 'requirements.txt': '# nothing yet\n' }, skipInstall: false });
  try {
    assert.ok(existsSync(join(run.dir, '.venv', 'bin', 'python')), run.log);
    assert.match(run.log, /venv: \.venv holds requirements\.txt; activate it with \. \.venv\/bin\/activate/);
  } finally {
    run.cleanup();
  }
});

test('an install that fails (no index reachable) is reported with the command to run later; the files stay and the run succeeds', async () => {
  process.env.PIP_NO_INDEX = '1';
  try {
    const run = await runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single' }, files: { 'requirements.txt': 'Django==6.1.3\n' }, skipInstall: false });
    try {
      assert.match(run.log, /venv: could not install requirements\.txt:/);
      assert.match(run.log, /Run it yourself later, in \/.*: \.venv\/bin\/python -m pip install --disable-pip-version-check -r requirements\.txt/);
      assert.match(run.read('.gitignore'), /\/\.venv\//);
      assert.ok(existsSync(join(run.dir, '.venv', 'pyvenv.cfg')));
    } finally {
      run.cleanup();
    }
  } finally {
    delete process.env.PIP_NO_INDEX;
  }
});

test.run();
