import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkShellScript, offlinePip, packWheel, python, runPyrepo, runTool, tagRelease, tempDir, writeTree } from '@pyrepo/testing';

/** shiv is not installable here: a stand-in (`stub` on PYTHONPATH, SHIV_RECORD=`record`) records the command line the checks let through. */
function recordingShiv(): { stub: string; record: string } {
  const stub = tempDir('pyrepo-shiv-');
  writeTree(stub, { 'shiv/__init__.py': '', 'shiv/__main__.py': 'import json, os, sys\nwith open(os.environ["SHIV_RECORD"], "w") as f:\n    json.dump(sys.argv[1:], f)\n' });
  return { stub, record: join(stub, 'argv.json') };
}

test('build-pyz.sh: shiv with the package\'s entry point and the shipped requirements; shellcheck-clean', async () => {
  const run = await runPyrepo({ generators: ['setuptools', 'shiv'], values: { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src', layout: 'single', shebang: '/usr/bin/python3.12' } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/build-pyz.sh')), []);
    assert.match(run.read('scripts/build-pyz.sh'), /-m shiv --compressed --python '\/usr\/bin\/python3\.12' --entry-point stock\.main:main \\\n    --output-file "\$zipapp" \. -r requirements\.txt/);
    assert.match(run.read('requirements-dev.txt'), /^shiv==1\.0\.8$/m);
    assert.not.match(run.read('requirements.txt'), /shiv/, 'a build tool stays out of what production installs');
    assert.not.match(run.log, /setup\.py, which is missing/);
  } finally {
    run.cleanup();
  }
});

test('build-pyz.sh builds only with the project\'s Python and only what the lock pins: a dependency the lock leaves out (or an empty lock), or another Python, stops it, named', async () => {
  const wheels = tempDir('pyrepo-wheels-');
  packWheel(wheels, 'alpha', '1.0', { 'alpha.py': 'VALUE = 1\n' }, ['beta>=1']);
  packWheel(wheels, 'beta', '1.0', { 'beta.py': '' });
  packWheel(wheels, 'beta', '2.0', { 'beta.py': '' });
  const { stub, record } = recordingShiv();
  // Not a git checkout: setuptools-scm gets the version a tag would give (its documented override).
  const env = { PATH: process.env.PATH, PYTHON: python, PYTHONPATH: stub, SHIV_RECORD: record, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_BUILD_ISOLATION: '0', SETUPTOOLS_SCM_PRETEND_VERSION: '1.0.0', ...offlinePip(wheels) };
  const code = { 'src/stock/__init__.py': '', 'src/stock/main.py': 'def main():\n    pass\n' };
  const values = { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src', layout: 'app-dev-frozen', base: ['alpha==1.0'] };
  const run = await runPyrepo({ generators: ['requirements', 'setuptools', 'shiv'], values: { ...values, python: '3.11' }, files: code });
  const other = await runPyrepo({ generators: ['requirements', 'setuptools', 'shiv'], values: { ...values, python: '3.12' }, files: code });
  const build = (dir: string) => {
    try {
      runTool('scripts/build-pyz.sh', [], { cwd: dir, env });
      return 'built';
    } catch (error) {
      return (error as Error).message;
    }
  };
  try {
    const header = run.read('requirements.txt');
    assert.match(build(run.dir), /build-pyz\.sh: requirements\.txt does not pin alpha==1\.0, beta==2\.0: refresh the lock with scripts\/freeze-requirements\.sh/, 'an empty lock');
    writeFileSync(join(run.dir, 'requirements.txt'), `${header}alpha==1.0\n`);
    assert.match(build(run.dir), /requirements\.txt does not pin beta==2\.0:/, 'a lock of the top-level packages only');
    writeFileSync(join(run.dir, 'requirements.txt'), `${header}alpha==1.0\nbeta==1.0\n`);
    assert.is(build(run.dir), 'built');
    assert.equal(JSON.parse(readFileSync(record, 'utf8')), ['--compressed', '--python', '/usr/bin/python3.11', '--entry-point', 'stock.main:main', '--output-file', 'dist/stock-1.0.0.pyz', '.', '-r', 'requirements.txt']);
    writeFileSync(join(other.dir, 'requirements.txt'), `${header}alpha==1.0\nbeta==1.0\n`);
    assert.match(build(other.dir), /build-pyz\.sh: \/usr\/bin\/python3 is Python 3\.11, but the zipapp runs on Python 3\.12 \(\/usr\/bin\/python3\.12\): build with PYTHON=python3\.12, on the distribution the server runs/);
  } finally {
    run.cleanup();
    other.cleanup();
    rmSync(wheels, { recursive: true, force: true });
    rmSync(stub, { recursive: true, force: true });
  }
});

test('the zipapp is named after the git tag\'s version (v2.3.0: dist/stock-2.3.0.pyz); outside git and without a tag, the build stops naming SETUPTOOLS_SCM_PRETEND_VERSION and builds nothing', async () => {
  const wheels = tempDir('pyrepo-wheels-');
  packWheel(wheels, 'alpha', '1.0', { 'alpha.py': 'VALUE = 1\n' });
  const { stub, record } = recordingShiv();
  const env = { PATH: process.env.PATH, PYTHON: python, PYTHONPATH: stub, SHIV_RECORD: record, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_BUILD_ISOLATION: '0', ...offlinePip(wheels) };
  const run = await runPyrepo({
    generators: ['requirements', 'setuptools', 'shiv'],
    values: { name: 'stock', python: '3.11', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src', layout: 'app-dev-frozen', base: ['alpha==1.0'] },
    files: { 'src/stock/__init__.py': '', 'src/stock/main.py': 'def main():\n    pass\n' },
  });
  try {
    writeFileSync(join(run.dir, 'requirements.txt'), `${run.read('requirements.txt')}alpha==1.0\n`);
    let failure = '';
    try {
      runTool('scripts/build-pyz.sh', [], { cwd: run.dir, env });
    } catch (error) {
      failure = (error as Error).message;
    }
    assert.match(failure, /setup\.py: no version: .* is neither a git checkout nor a source archive[\s\S]*SETUPTOOLS_SCM_PRETEND_VERSION=X\.Y\.Z/);
    assert.not.ok(existsSync(record), 'shiv did not run');
    assert.not.ok(existsSync(join(run.dir, 'dist')), 'nothing built');
    tagRelease(run.dir, 'v2.3.0');
    assert.match(runTool('scripts/build-pyz.sh', [], { cwd: run.dir, env }), /dist\/stock-2\.3\.0\.pyz built: run it with \/usr\/bin\/python3\.11 dist\/stock-2\.3\.0\.pyz/);
    assert.equal(JSON.parse(readFileSync(record, 'utf8')).slice(4, 7), ['stock.main:main', '--output-file', 'dist/stock-2.3.0.pyz']);
  } finally {
    run.cleanup();
    rmSync(wheels, { recursive: true, force: true });
    rmSync(stub, { recursive: true, force: true });
  }
});

test('without setup.py it says what is missing; without an entry point it is refused', async () => {
  const run = await runPyrepo({ generators: ['shiv'], values: { name: 'stock', framework: 'fastapi', asgiApp: 'stock.main:app', sourceRoot: 'src' } });
  try {
    assert.match(run.log, /shiv: it installs the application with pip, from setup\.py, which is missing/);
  } finally {
    run.cleanup();
  }
  try {
    await runPyrepo({ generators: ['shiv'], values: { name: 'x', framework: 'django', settingsModule: 'x.settings.prod', devSettingsModule: 'x.settings.dev', wsgiApp: 'x.wsgi:application' } });
    assert.unreachable('accepted django');
  } catch (error) {
    assert.match((error as Error).message, /shiv needs a console entry point/);
  }
});

test.run();
