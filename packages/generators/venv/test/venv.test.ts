import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
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

test('the install step creates the venv and installs the development requirements into it; without the project\'s Python it says which it used and why; the README names the project\'s Python, not the machine\'s (check regenerates it from the records)', async () => {
  const wheels = tempDir('pyrepo-wheels-');
  buildWheel(wheels, 'alpha', '2.0', 'VALUE = 2\n');
  // A machine without Python 3.14: python3 on PATH only, no pyenv or uv interpreters.
  const machine = tempDir('pyrepo-machine-');
  mkdirSync(join(machine, 'bin'));
  symlinkSync('/usr/bin/python3', join(machine, 'bin', 'python3'));
  const system = runTool('/usr/bin/python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']).trim();
  try {
    const env = { ...offlinePip(wheels), PATH: join(machine, 'bin'), PYENV_ROOT: join(machine, 'pyenv'), UV_PYTHON_INSTALL_DIR: join(machine, 'uv') };
    // Modules of the repository named like the ones run with -m: they must not run.
    const planted = "import pathlib; pathlib.Path(__file__).with_suffix('.ran').write_text('ran')\n";
    const run = await withEnv(env, () => runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single', python: '3.14' }, files: { 'requirements.txt': 'alpha==2.0\n', 'venv.py': planted, 'pip/__init__.py': planted, 'pip/__main__.py': planted }, skipInstall: false }));
    try {
      assert.match(run.log, new RegExp(`venv: Python 3\\.14 was asked for, but no python3\\.14 was found on PATH \\(shim folders skipped\\), in pyenv \\(${machine}/pyenv/versions\\) or in uv \\(${machine}/uv\\); using python3 \\(Python ${system.replaceAll('.', '\\.')}, ${machine}/bin/python3\\) instead\\.`));
      assert.match(run.log, new RegExp(`^\\d\\d:\\d\\d:\\d\\d ✔ venv: create the virtual environment \\.venv with Python ${system.replaceAll('.', '\\.')} \\(python3\\) \\(\\d`, 'm'));
      assert.match(run.log, /^\d\d:\d\d:\d\d ✔ venv: install requirements-dev\.txt \(\d/m);
      assert.not.match(run.log, /Successfully installed|Processing /, 'a command that succeeds keeps its output to itself');
      assert.not.ok(existsSync(join(run.dir, 'venv.ran')) || existsSync(join(run.dir, 'pip', '__init__.ran')) || existsSync(join(run.dir, 'pip', '__main__.ran')), "the repository's venv.py and pip/ never ran");
      const readme = run.read('README.md');
      assert.match(readme, /^python3\.14 -m venv \.venv$/m);
      assert.not.match(readme, /python3 -m venv|was made with/);
      assert.match(run.read('.venv/pyvenv.cfg'), new RegExp(`^version(_info)? = ${system.replaceAll('.', '\\.')}`, 'm'));
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
    rmSync(machine, { recursive: true, force: true });
  }
});

test('an install that fails (no index reachable) is reported with the command to run later; the files stay and the run succeeds', async () => {
  await withEnv({ PIP_NO_INDEX: '1' }, async () => {
    const run = await runPyrepo({ generators: ['venv'], values: { name: 'shop', layout: 'single' }, files: { 'requirements.txt': 'Django==6.1.3\n' }, skipInstall: false });
    try {
      assert.match(run.log, /✖ venv: could not install requirements-dev\.txt \(exit code 1, after [\d.]+s\):\n    .*\n[\s\S]*ERROR: [^\n]*Django==6\.1\.3/, 'the command\'s own output, with pip\'s reason');
      assert.match(run.log, /Run it yourself later: cd \/\S* && \.venv\/bin\/python -I -m pip install --disable-pip-version-check -r requirements-dev\.txt/);
      assert.match(run.read('.gitignore'), /\/\.venv\//);
      assert.ok(existsSync(join(run.dir, '.venv', 'pyvenv.cfg')));
    } finally {
      run.cleanup();
    }
  });
});

test.run();
