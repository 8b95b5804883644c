import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPyproject, folderState, python, removedLines, runPyrepo, runTool, tagRelease, tempDir, writeTree } from '@pyrepo/testing';

const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
/** The release archive of `dir` as its pipeline builds it: committed, tagged, `python -m build --sdist`. */
const sdist = (dir: string, tag = 'v1.0.0') => {
  tagRelease(dir, tag);
  runTool(python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', 'dist'], { cwd: dir, env });
  const archive = readdirSync(join(dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
  return { archive, members: execFileSync('tar', ['-tzf', join(dir, 'dist', archive)], { encoding: 'utf8' }).split('\n').map(line => line.replace(/^[^/]+\//, '')) };
};

test('for Django, what seed 003 shows: find_packages, manage.py as a script, templates and static files, install_requires and a test extra (the seed\'s name)', async () => {
  const run = await runPyrepo({
    generators: ['requirements', 'django', 'setuptools'],
    values: { name: 'blog', framework: 'django', python: '3.11', description: 'A blog' },
    files: { 'blog/templates/blog/page.html': '<p>page</p>\n', 'blog/static/blog/site.css': 'p {}\n' },
  });
  try {
    const setup = run.read('setup.py');
    assert.match(setup, /packages=find_packages\(exclude=\["tests", "tests\.\*"\]\),\n    scripts=\["manage\.py"\],\n    include_package_data=True,/);
    assert.match(setup, /install_requires=requirements\("requirements\/base\.txt"\),\n    extras_require=\{\n        "test": requirements\("requirements\/ci\.txt"\),\n        "prod": requirements\("requirements\/prod\.txt"\),\n    \},/);
    const { archive, members } = sdist(run.dir, 'v2.1.0');
    assert.is(archive, 'blog-2.1.0.tar.gz');
    const requires = runTool(python, ['-c', 'import runpy, setuptools, sys\nsetuptools.setup = lambda **kw: print(kw["install_requires"], kw["extras_require"])\nrunpy.run_path("setup.py")'], { cwd: run.dir, env });
    assert.match(requires, /\['Django~=5\.2\.0'\] \{'test': \['pytest-django==4\.14\.0', 'build==1\.6\.1'\], 'prod': \['dj-database-url==[\d.]+'\]\}/);
    for (const member of ['manage.py', 'blog/settings/prod.py', 'blog/templates/blog/page.html', 'blog/static/blog/site.css', 'requirements/base.txt', 'setup.py']) {
      assert.ok(members.includes(member), member);
    }
    assert.not.ok(members.some(member => member.startsWith('tests/')));
  } finally {
    run.cleanup();
  }
});

test('for Flask without vendoring: the module, its configuration file, no vendors', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'flask', 'setuptools'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen' } });
  try {
    assert.match(run.read('setup.py'), /py_modules=\["app"\],/);
    assert.not.match(run.read('MANIFEST.in'), /graft/);
    const { members } = sdist(run.dir);
    for (const member of ['app.py', 'shop.conf', 'requirements-app.txt']) assert.ok(members.includes(member), member);
  } finally {
    run.cleanup();
  }
});

test('the version is the git tag\'s: v1.0.0 then v1.1.0 archive as shop-1.0.0 and shop-1.1.0, an untagged commit is a development version, the archive keeps its version, no git is a clear error', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'flask', 'setuptools'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen' } });
  const work = tempDir('pyrepo-setuptools-');
  try {
    const build: [string, string[]] = [python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', 'dist']];
    assert.equal(checkPyproject(run.dir)['build-system'], { requires: ['setuptools>=61', 'setuptools-scm>=7'], 'build-backend': 'setuptools.build_meta' });
    assert.throws(() => runTool(...build, { cwd: run.dir, env }), /setup\.py: no version: .* is neither a git checkout nor a source archive\. Build from the git repository \(tag vX\.Y\.Z for a release\), or set SETUPTOOLS_SCM_PRETEND_VERSION=X\.Y\.Z/);
    assert.is(sdist(run.dir, 'v1.0.0').archive, 'shop-1.0.0.tar.gz');
    rmSync(join(run.dir, 'dist'), { recursive: true });
    assert.is(sdist(run.dir, 'v1.1.0').archive, 'shop-1.1.0.tar.gz');
    runTool('tar', ['-xzf', join(run.dir, 'dist/shop-1.1.0.tar.gz'), '-C', work]);
    const version = (dir: string) => runTool(python, ['setup.py', '--version'], { cwd: dir, env }).trim().split('\n').at(-1);
    assert.is(version(join(work, 'shop-1.1.0')), '1.1.0', 'an unpacked archive (no git) keeps its version');
    writeTree(run.dir, { 'app.py': `${run.read('app.py')}\n# a change after the release\n` });
    runTool('git', ['commit', '--quiet', '--all', '--message', 'change'], { cwd: run.dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    assert.match(version(run.dir) ?? '', /^1\.1\.1\.dev1\+g[0-9a-f]+$/);
  } finally {
    rmSync(work, { recursive: true, force: true });
    run.cleanup();
  }
});

test('the description reaches setup.py and PKG-INFO only as one line of printable text: C1 controls, bidirectional overrides and separators are refused', async () => {
  for (const description of ['evil\u202Etxt', 'a\u0085b', 'a\u009b31mb', 'a\u2028b', 'zero\u200Bwidth', 'a\u0007b']) {
    try {
      await runPyrepo({ generators: ['requirements', 'flask', 'setuptools'], values: { name: 'shop', framework: 'flask', description } });
      assert.unreachable(JSON.stringify(description));
    } catch (error) {
      assert.match((error as Error).message, /Invalid option --description of generator "setuptools": must be one line of at most 200 characters, without control or format characters/, JSON.stringify(description));
    }
  }
});

/** A repository whose pyproject.toml already builds it: setuptools must refuse, and write nothing. */
async function refused(fixture: Record<string, string>): Promise<string> {
  const dir = tempDir();
  writeTree(dir, fixture);
  const before = folderState(dir);
  try {
    await runPyrepo({ dir, generators: ['setuptools'], values: { name: 'shop', framework: 'flask' } });
    assert.unreachable('setuptools wrote setup.py next to another build');
  } catch (error) {
    assert.is((error as { exitCode?: number }).exitCode, 2, (error as Error).message);
    assert.equal(folderState(dir), before, 'nothing written');
    return (error as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return '';
}

test('a hatchling project (lnbits\' shape: [project] and build-backend hatchling.build) is refused: exit 2 naming the backend and what to do, nothing written', async () => {
  const message = await refused({
    'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0"\ndependencies = ["flask"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
    'shop/__init__.py': 'from flask import Flask\n',
  });
  assert.match(message, /pyproject\.toml builds this project with hatchling\.build \(\[build-system\] build-backend\)/);
  assert.match(message, /fix: leave setuptools out of this run and build with what pyproject\.toml declares \(python -m build --sdist\)/);
});

test('poetry, flit and pdm backends are refused by name too', async () => {
  for (const backend of ['poetry.core.masonry.api', 'flit_core.buildapi', 'pdm.backend']) {
    const message = await refused({ 'pyproject.toml': `[build-system]\nrequires = ["x"]\nbuild-backend = "${backend}"\n`, 'app.py': 'app = None\n' });
    assert.match(message, new RegExp(`builds this project with ${backend.replaceAll('.', '\\.')} `), backend);
  }
});

test('an in-tree setuptools backend (pretalx\' shape: backend-path) is refused as what it is', async () => {
  const message = await refused({
    'pyproject.toml': '[project]\nname = "shop"\ndynamic = ["version"]\n\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "backend"\nbackend-path = ["src"]\n',
    'src/backend.py': 'from setuptools.build_meta import *\n',
  });
  assert.match(message, /builds this project with an in-tree backend, backend \(build-backend with backend-path\)/);
});

test('a [project] table built by setuptools is refused: setup.py would declare the project a second time', async () => {
  const message = await refused({ 'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0"\n', 'app.py': 'app = None\n' });
  assert.match(message, /declares the project in its \[project\] table \(built by setuptools, the default backend\)/);
});

test('a Flask application in a package (a factory, no app.py): setup.py names no module that is not there, and the sdist holds the code', async () => {
  const fixture = {
    'shop/__init__.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n',
    'shop/views.py': 'VIEWS = []\n',
    'requirements.txt': 'flask\n',
    'pyproject.toml': '[tool.ruff]\nline-length = 100\n',
  };
  const run = await runPyrepo({ generators: ['setuptools'], values: { name: 'shop', framework: 'flask', layout: 'single' }, files: fixture });
  try {
    const setup = run.read('setup.py');
    assert.not.match(setup, /py_modules/);
    assert.match(setup, /packages=find_packages\(exclude=\["tests", "tests\.\*"\]\),/);
    assert.not.match(run.read('MANIFEST.in'), /shop\.conf/);
    const { members } = sdist(run.dir);
    for (const member of ['shop/__init__.py', 'shop/views.py', 'requirements.txt']) assert.ok(members.includes(member), member);
    assert.equal(removedLines(run.dir, fixture), []);
  } finally {
    run.cleanup();
  }
});

test('no code at all: refused rather than an sdist without code', async () => {
  const message = await refused({ 'requirements.txt': 'flask\n', 'README.md': '# shop\n' });
  assert.match(message, /the repository has none of the code a flask release is built from \(looked for app\.py and for packages in the repository root\)/);
});

test.run();
