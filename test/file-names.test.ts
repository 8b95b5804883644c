import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkCompose, checkPyproject, python, removedLines, runTool, tempDir, writeTree } from '@pyrepo/testing';
import { pyrepo } from './helpers/cli.js';

// `pyrepo add` into repositories that already have a file of the kind under another name, or a
// tool's settings in another file (core/file-names.ts): the file the tool reads is the one used.

function fixture(files: Record<string, string>): string {
  const dir = tempDir();
  writeTree(dir, files);
  return dir;
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const toolEnv = (dir: string) => ({ PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', COVERAGE_FILE: join(dir, '.coverage'), HOME: dir });

/** A Flask application with its own compose file, as ctfd has: services of its own, comments. */
const ctfdShape = {
  'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
  'requirements.txt': 'flask\n',
  'docker-compose.yml': [
    '# Our stack',
    'services:',
    '  web:',
    '    build: .',
    '    ports:',
    '      - "127.0.0.1:8000:8000"',
    '  db:',
    '    image: mariadb:10.11',
    '',
  ].join('\n'),
};

test('docker-dev next to the repository\'s docker-compose.yml (ctfd\'s shape): no docker-compose.yaml beside it; the user\'s file is a conflict, kept with --yes, replaced only with --force, and then passes docker-compose config', () => {
  const dir = fixture(ctfdShape);
  try {
    const kept = pyrepo(['add', 'docker-dev', '--yes', '--name', 'ctf', '--framework', 'flask', '--layout', 'single'], dir);
    assert.is(kept.code, 3, kept.stderr);
    assert.match(kept.stdout + kept.stderr, /conflict docker-compose\.yml/);
    assert.ok(existsSync(join(dir, 'docker/app/dev.Dockerfile')));
    assert.not.ok(existsSync(join(dir, 'docker-compose.yaml')), 'no second compose file, which Compose would not read');
    assert.equal(removedLines(dir, ctfdShape), []);

    const forced = pyrepo(['add', 'docker-dev', '--yes', '--force'], dir);
    assert.is(forced.code, 0, forced.stderr);
    assert.not.ok(existsSync(join(dir, 'docker-compose.yaml')));
    assert.match(read(dir, 'docker-compose.yml'), /dockerfile: docker\/app\/dev\.Dockerfile/);
    assert.equal(checkCompose(dir, 'docker-compose.yml'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docker-dev writes the compose file Compose picks first: compose.yaml over docker-compose.yml; none: docker-compose.yaml', () => {
  const files = { ...ctfdShape, 'compose.yaml': 'services: {}\n' };
  const dir = fixture(files);
  const empty = fixture({ 'app.py': ctfdShape['app.py'] });
  try {
    const result = pyrepo(['add', 'docker-dev', '--yes', '--force', '--name', 'ctf', '--framework', 'flask', '--layout', 'single'], dir);
    assert.is(result.code, 0, result.stderr);
    assert.match(read(dir, 'compose.yaml'), /dockerfile: docker\/app\/dev\.Dockerfile/);
    assert.is(read(dir, 'docker-compose.yml'), ctfdShape['docker-compose.yml'], 'the file Compose does not read is left alone');
    assert.not.ok(existsSync(join(dir, 'docker-compose.yaml')));
    assert.equal(checkCompose(dir, 'compose.yaml'), []);

    assert.is(pyrepo(['add', 'docker-dev', '--yes', '--name', 'ctf', '--framework', 'flask', '--layout', 'single'], empty).code, 0);
    assert.equal(checkCompose(empty, 'docker-compose.yaml'), []);
    assert.equal(removedLines(empty, { 'app.py': ctfdShape['app.py'] }), []);
    assert.equal(removedLines(dir, { 'app.py': ctfdShape['app.py'], 'requirements.txt': ctfdShape['requirements.txt'], 'docker-compose.yml': ctfdShape['docker-compose.yml'] }), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
});

test('README sections go into the README the repository has (readme.md), none beside it; a README.rst gets no Markdown, and the output says so', () => {
  const markdown = { ...ctfdShape, 'readme.md': '# CTF\n\nOur platform.\n' };
  delete (markdown as Record<string, string>)['docker-compose.yml'];
  const rst = { 'app.py': ctfdShape['app.py'], 'README.rst': 'CTF\n===\n\nOur platform.\n' };
  const md = fixture(markdown);
  const rest = fixture(rst);
  try {
    assert.is(pyrepo(['add', 'repo', 'docker-dev', '--yes', '--skip-git', '--name', 'ctf', '--framework', 'flask', '--layout', 'single'], md).code, 0);
    assert.not.ok(existsSync(join(md, 'README.md')));
    assert.match(read(md, 'readme.md'), /^# CTF\n\nOur platform\.\n\n<!-- pyrepo:begin docker-dev -->\n## Run in Docker\n/);
    assert.equal(removedLines(md, markdown), []);

    const result = pyrepo(['add', 'repo', 'docker-dev', '--yes', '--skip-git', '--name', 'ctf', '--framework', 'flask', '--layout', 'single'], rest);
    assert.is(result.code, 0, result.stderr);
    assert.not.ok(existsSync(join(rest, 'README.md')));
    assert.is(read(rest, 'README.rst'), rst['README.rst']);
    assert.match(result.stdout + result.stderr, /docker-dev: README\.rst is reStructuredText: the Markdown section "Run in Docker" was not added to it/);
    assert.equal(removedLines(rest, rst), []);
  } finally {
    rmSync(md, { recursive: true, force: true });
    rmSync(rest, { recursive: true, force: true });
  }
});

/** taiga-back's shape: pytest.ini and .coveragerc hold the settings; a package; tests in their own folder. */
const taigaShape = {
  'shop/__init__.py': 'def answer():\n    return 42\n',
  'tests/test_shop.py': 'from shop import answer\n\n\ndef test_answer():\n    assert answer() == 42\n',
  'pytest.ini': '[pytest]\naddopts = -p no:cacheprovider\npython_files = test_*.py\n',
  '.coveragerc': '[run]\nsource = shop\nbranch = True\n',
  'tox.ini': '[tox]\nenvlist = py311\n',
};

test('pyproject next to pytest.ini and .coveragerc (taiga-back\'s shape): no [tool.pytest] or [tool.coverage] that the tools would ignore; pytest and coverage still read the user\'s files; the output and README say where', () => {
  const dir = fixture(taigaShape);
  try {
    const result = pyrepo(['add', 'pyproject', 'repo', '--yes', '--skip-git', '--name', 'shop', '--layout', 'single'], dir);
    assert.is(result.code, 0, result.stderr);
    const data = checkPyproject(dir) as { tool: Record<string, unknown> };
    assert.equal(Object.keys(data.tool), ['ruff']);
    assert.match(result.stdout + result.stderr, /pyproject: pytest reads its settings from pytest\.ini \(and from no other file\): pyrepo left them there/);
    assert.match(result.stdout + result.stderr, /pyproject: coverage reads its settings from \.coveragerc/);
    assert.match(read(dir, 'README.md'), /pytest reads its settings from `pytest\.ini` \(and from no other file\): they stay there\.\ncoverage reads its settings from `\.coveragerc`/);
    const output = runTool(python, ['-m', 'coverage', 'run', '-m', 'pytest'], { cwd: dir, env: toolEnv(dir) });
    assert.match(output, /configfile: pytest\.ini/);
    assert.match(output, /1 passed/);
    assert.match(runTool(python, ['-m', 'coverage', 'debug', 'config'], { cwd: dir, env: toolEnv(dir) }), /config_file: .*\/\.coveragerc/);
    assert.equal(removedLines(dir, taigaShape), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pytest settings in tox.ini [pytest] and coverage\'s in setup.cfg (fastapi-realworld\'s shape) are not taken over by a [tool.*] table pyproject.toml would put first', () => {
  const files = {
    'shop/__init__.py': taigaShape['shop/__init__.py'],
    'tests/test_shop.py': taigaShape['tests/test_shop.py'],
    'tox.ini': '[tox]\nenvlist = py311\n\n[pytest]\naddopts = -p no:cacheprovider\nmarkers =\n    slow: slow tests\n',
    'setup.cfg': '[flake8]\nmax-line-length = 100\n\n[coverage:run]\nsource = shop\n',
  };
  const dir = fixture(files);
  try {
    const result = pyrepo(['add', 'pyproject', '--yes', '--name', 'shop', '--layout', 'single'], dir);
    assert.is(result.code, 0, result.stderr);
    const data = checkPyproject(dir) as { tool: Record<string, unknown> };
    assert.equal(Object.keys(data.tool), ['ruff']);
    const output = runTool(python, ['-m', 'coverage', 'run', '-m', 'pytest', '--strict-markers'], { cwd: dir, env: toolEnv(dir) });
    assert.match(output, /configfile: tox\.ini/, 'pytest reads tox.ini, not a pyproject.toml table');
    assert.match(runTool(python, ['-m', 'coverage', 'debug', 'config'], { cwd: dir, env: toolEnv(dir) }), /config_file: .*\/setup\.cfg/);
    assert.equal(removedLines(dir, files), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ruff.toml holds ruff\'s settings: no [tool.ruff] beside it; a ruff-only pyproject.toml (django-styleguide-example\'s shape) gets the other tools merged in', () => {
  const own = { 'shop/__init__.py': taigaShape['shop/__init__.py'], 'ruff.toml': 'line-length = 120\n' };
  const ruffOnly = { 'shop/__init__.py': taigaShape['shop/__init__.py'], 'pyproject.toml': '[tool.ruff]\nline-length = 120\n' };
  const a = fixture(own);
  const b = fixture(ruffOnly);
  try {
    assert.is(pyrepo(['add', 'pyproject', '--yes', '--name', 'shop', '--layout', 'single'], a).code, 0);
    assert.equal(Object.keys((checkPyproject(a) as { tool: object }).tool), ['pytest', 'coverage']);
    assert.is(read(a, 'ruff.toml'), own['ruff.toml']);
    assert.equal(removedLines(a, own), []);
    assert.is(pyrepo(['add', 'pyproject', '--yes', '--name', 'shop', '--layout', 'single'], b).code, 0);
    const data = checkPyproject(b) as { tool: { ruff: Record<string, unknown>; pytest: object; coverage: object } };
    assert.is(data.tool.ruff['line-length'], 120);
    assert.ok(data.tool.pytest && data.tool.coverage);
    assert.equal(removedLines(b, ruffOnly), []);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('testpaths names the test folders the repository has (test/, not tests/), none when it has none; coverage measures code that exists: pytest and coverage run them without a warning', () => {
  const withTest = {
    'shop/__init__.py': taigaShape['shop/__init__.py'],
    'test/test_shop.py': taigaShape['tests/test_shop.py'],
  };
  const flaskNoTests = { 'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\ndef answer():\n    return 42\n', 'test_app.py': 'from app import answer\n\n\ndef test_answer():\n    assert answer() == 42\n' };
  const a = fixture(withTest);
  const b = fixture(flaskNoTests);
  try {
    assert.is(pyrepo(['add', 'pyproject', '--yes', '--name', 'shop', '--layout', 'single'], a).code, 0);
    const data = checkPyproject(a) as { tool: { pytest: { ini_options: Record<string, unknown> }; coverage: { run: Record<string, unknown> } } };
    assert.equal(data.tool.pytest.ini_options.testpaths, ['test']);
    assert.equal(data.tool.coverage.run.source, ['shop']);
    const env = toolEnv(a);
    const output = runTool(python, ['-m', 'coverage', 'run', '-m', 'pytest', '-p', 'no:cacheprovider', '-W', 'error::pytest.PytestConfigWarning'], { cwd: a, env });
    assert.match(output, /testpaths: test\n/);
    assert.match(output, /1 passed/);
    assert.match(runTool(python, ['-m', 'coverage', 'report'], { cwd: a, env }), /shop\/__init__\.py\s+2\s+0/);

    // A Flask application in app.py (the shop package of its name does not exist), tests beside it.
    assert.is(pyrepo(['add', 'pyproject', '--yes', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], b).code, 0);
    const flask = checkPyproject(b) as { tool: { pytest: { ini_options: Record<string, unknown> }; coverage: { run: Record<string, unknown> } } };
    assert.is(flask.tool.pytest.ini_options.testpaths, undefined, 'no test folder: pytest collects from the root');
    assert.equal(flask.tool.coverage.run.source, ['app']);
    const flaskEnv = toolEnv(b);
    const flaskOutput = runTool(python, ['-m', 'coverage', 'run', '-m', 'pytest', '-p', 'no:cacheprovider'], { cwd: b, env: flaskEnv });
    assert.match(flaskOutput, /1 passed/);
    const report = runTool(python, ['-m', 'coverage', 'report'], { cwd: b, env: flaskEnv });
    assert.match(report, /^app\.py /m);
    assert.not.match(flaskOutput + report, /never imported|No data was collected/);
    assert.equal(removedLines(a, withTest), []);
    assert.equal(removedLines(b, flaskNoTests), []);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test.run();
