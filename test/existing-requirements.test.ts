// `pyrepo add` into repositories that declare their dependencies their own way (issue 15): each
// role's additions go where the repository keeps that role, development tools never into what
// production installs, no parallel file appears, no line the repository had is lost, locks are
// never edited, and pip's own parser reads what production installs. The fixtures reproduce shapes
// of public applications (and of pip-tools, poetry, uv and Pipenv projects); no code is copied.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRequirementsFiles, readTree, removedLines, runTool, writeTree } from '@pyrepo/testing';
import { folderState, pyrepo, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-existing-reqs-');
test.after(folders.cleanup);

const uwsgi = 'uWSGI==2.0.31';
const devTools = ['pytest', 'ruff', 'coverage'];
/** The run: the application server for production, the test and lint tools for development. */
// The fixtures hold requirements only: where the application is, is given.
const add = ['add', 'uwsgi', 'pyproject', '--yes', '--framework', 'flask', '--wsgi-app', 'app:app'];
/** What these generators write besides requirements (.env.example: the uWSGI variables uwsgi.ini reads). */
const generated = ['.yo-rc.json', '.pyrepo-base.json', 'uwsgi.ini', 'pyproject.toml', 'README.md', '.gitignore', '.env.example'];

function repository(files: Record<string, string>): string {
  const dir = folders.make();
  writeTree(dir, files);
  return dir;
}

/**
 * Every line of every file the fixture had is still there, in its order; in TOML files (where
 * extending an inline array rewrites its line) every table, key and array entry is.
 */
function assertNoLineRemoved(dir: string, before: Record<string, string>, after: Record<string, string>): void {
  for (const [path, text] of Object.entries(before)) {
    if (path === '.yo-rc.json') continue; // pyrepo's own record of the run, rewritten by each run
    const now = after[path];
    assert.ok(now !== undefined, `${path} is still there`);
    if (path.endsWith('.toml') || path === 'Pipfile') {
      const was = parseToml(text);
      assertContains(toml(dir, path), was, path);
      continue;
    }
    assert.equal(removedLines(dir, { [path]: text }), [], `${path}:\n${now}`);
  }
}

function assertContains(now: unknown, was: unknown, where: string): void {
  if (Array.isArray(was)) {
    assert.ok(Array.isArray(now), `${where} is still a list`);
    assert.equal((now as unknown[]).slice(0, was.length), was, `${where} keeps its entries, in order`);
  } else if (was && typeof was === 'object') {
    for (const [key, value] of Object.entries(was)) assertContains((now as Record<string, unknown>)?.[key], value, `${where} ${key}`);
  } else assert.equal(now, was, where);
}

/** The files the run added: only those the generators write, plus the ones expected; none empty. */
function assertNewFiles(before: Record<string, string>, after: Record<string, string>, expected: string[] = []): void {
  const added = Object.keys(after).filter(path => !(path in before));
  const allowed = new Set([...generated, ...expected]);
  assert.equal(added.filter(path => !allowed.has(path)), [], 'no parallel requirements file');
  for (const path of expected) assert.ok(path in after, `${path} was created`);
  for (const path of added) assert.ok(after[path]!.trim() !== '', `${path} is not empty`);
}

/** TOML text as Python's tomllib reads it. */
function parseToml(text: string): Record<string, any> {
  return JSON.parse(runTool('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text }));
}

/** A TOML file as Python's tomllib reads it; each dependency string is checked by pip's own PEP 508 parser. */
function toml(dir: string, file: string): Record<string, any> {
  const script = [
    'import json, sys, tomllib',
    'from pip._vendor.packaging.requirements import Requirement',
    'data = tomllib.load(open(sys.argv[1], "rb"))',
    'for entry in data.get("project", {}).get("dependencies", []) + [e for g in data.get("dependency-groups", {}).values() for e in g]: Requirement(entry)',
    'print(json.dumps(data))',
  ].join('\n');
  return JSON.parse(runTool('python3', ['-c', script, join(dir, file)]));
}

/** Names (lowercase) pip's parser yields for a requirements file, includes followed. */
function pipNames(dir: string, file: string): string[] {
  return parseRequirementsFiles(dir, [file])[file]!.map(line => line.split(/[<>=!~;[ ]/)[0]!.toLowerCase());
}

function run(dir: string, args = add) {
  const before = readTree(dir);
  const result = pyrepo(args, dir);
  assert.is(result.code, 0, result.stderr + result.stdout);
  const after = readTree(dir);
  assertNoLineRemoved(dir, before, after);
  return { before, after, output: result.stdout + result.stderr };
}

test('requirements/{base,production,development}.txt: uWSGI into production.txt, the tools into development.txt, no requirements/prod.txt', () => {
  const dir = repository({
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'requirements/base.txt': 'Flask==3.1.0\n',
    'requirements/production.txt': '-r base.txt\ngunicorn==23.0.0\n',
    'requirements/development.txt': '-r base.txt\npytest==8.3.0  # the team pins its own\n',
  });
  const { before, after } = run(dir);
  assertNewFiles(before, after);
  assert.match(after['requirements/production.txt']!, /^uWSGI==2\.0\.31$/m);
  assert.match(after['requirements/development.txt']!, /^ruff==.*\ncoverage==/m);
  assert.equal(after['requirements/base.txt'], before['requirements/base.txt']);
  const shipped = pipNames(dir, 'requirements/production.txt');
  assert.equal(shipped.sort(), ['flask', 'gunicorn', 'uwsgi']);
  assert.equal(pipNames(dir, 'requirements/development.txt').filter(name => devTools.includes(name)).sort(), ['coverage', 'pytest', 'ruff'], 'pytest stays as the team pinned it');
});

test('requirements.txt (-r requirements/base.txt) and requirements/local.txt: uWSGI into requirements.txt, the tools into local.txt', () => {
  const dir = repository({
    'requirements.txt': '-r requirements/base.txt\n',
    'requirements/base.txt': 'Flask==3.1.0\ncelery==5.4.0\n',
    'requirements/local.txt': '-r base.txt\n\npytest==8.4.2\n',
  });
  const { before, after } = run(dir);
  assertNewFiles(before, after);
  assert.is(after['requirements.txt'], `-r requirements/base.txt\n${uwsgi}\n`);
  assert.equal(pipNames(dir, 'requirements.txt').sort(), ['celery', 'flask', 'uwsgi']);
  assert.equal(pipNames(dir, 'requirements/local.txt').sort(), ['celery', 'coverage', 'flask', 'pytest', 'ruff']);
});

test('pip-tools: additions go into the .in files, the compiled .txt stays as compiled, and the run says to recompile', () => {
  const compiled = '#\n# This file is autogenerated by pip-compile with Python 3.12\n#    pip-compile requirements.in\n#\nflask==3.1.0\n    # via -r requirements.in\n';
  const dir = repository({
    'requirements.in': 'flask\n',
    'requirements.txt': compiled,
    'requirements-dev.in': '-c requirements.txt\npytest\n',
    'requirements-dev.txt': '#\n# This file is autogenerated by pip-compile\n#\npytest==8.3.0\n',
  });
  const { before, after, output } = run(dir, ['add', 'requirements', ...add.slice(1)]);
  assertNewFiles(before, after);
  assert.is(after['requirements.in'], `flask\n${uwsgi}\n`);
  assert.match(after['requirements-dev.in']!, /^ruff==.*\ncoverage==/m);
  assert.is(after['requirements.txt'], compiled, 'the lock is never edited');
  assert.equal(after['requirements-dev.txt'], before['requirements-dev.txt']);
  assert.match(output, /added uWSGI==2\.0\.31 to requirements\.in; requirements\.txt is generated from it .*regenerate it \(pip-compile requirements\.in\)/);
  assert.match(after['README.md']!, /`requirements\.txt` is generated from `requirements\.in`: after changing it, regenerate it with `pip-compile requirements\.in`/);
  assert.equal(pipNames(dir, 'requirements.txt'), ['flask'], 'what production installs still parses');
});

test('pyproject [project].dependencies with a dev dependency group: uWSGI into dependencies, the tools into the group, the user\'s entries kept', () => {
  const pyproject = '[project]\nname = "shop"\nversion = "1.0"\ndependencies = [\n  "flask>=3",  # the web framework\n]\n\n[dependency-groups]\ndev = ["pytest>=8"]\n\n[tool.ruff]\nline-length = 100\n';
  const dir = repository({ 'pyproject.toml': pyproject, 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
  const { before, after } = run(dir);
  assertNewFiles(before, after);
  const data = toml(dir, 'pyproject.toml');
  assert.equal(data.project.dependencies, ['flask>=3', uwsgi]);
  assert.equal(data['dependency-groups'].dev.map((entry: string) => entry.split('=')[0]), ['pytest>', 'ruff', 'coverage']);
  assert.is(data.tool.ruff['line-length'], 100);
  assert.match(after['pyproject.toml']!, /"flask>=3",  # the web framework\n/);
  assert.not.ok(existsSync(join(dir, 'requirements.txt')), 'no requirements file beside the declaration');
});

test('uv: uv.lock is never edited, and the run says to refresh it', () => {
  const lock = 'version = 1\nrequires-python = ">=3.12"\n';
  const dir = repository({ 'pyproject.toml': '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["flask"]\n', 'uv.lock': lock });
  const { before, after, output } = run(dir);
  assertNewFiles(before, after);
  assert.is(after['uv.lock'], lock);
  const data = toml(dir, 'pyproject.toml');
  assert.equal(data.project.dependencies, ['flask', uwsgi]);
  assert.equal(data['dependency-groups'].dev.map((entry: string) => entry.split('==')[0]), devTools, 'a dev group beside production\'s table');
  assert.match(output, /uv\.lock is generated from it and pyrepo does not edit it: regenerate it \(uv lock\)/);
});

test('poetry: [tool.poetry.dependencies] gets uWSGI, the dev group the tools; poetry.lock is left for poetry lock', () => {
  const lock = '# This file is automatically @generated by Poetry and should not be changed by hand.\n';
  const dir = repository({
    'pyproject.toml': '[tool.poetry]\nname = "api"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nflask = "^3.1"\n\n[tool.poetry.group.dev.dependencies]\npytest = "^8"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n',
    'poetry.lock': lock,
  });
  const { before, after, output } = run(dir);
  assertNewFiles(before, after);
  assert.is(after['poetry.lock'], lock);
  const poetry = toml(dir, 'pyproject.toml').tool.poetry;
  assert.equal(poetry.dependencies, { python: '^3.11', flask: '^3.1', uWSGI: '==2.0.31' });
  assert.equal(Object.keys(poetry.group.dev.dependencies), ['pytest', ...devTools.slice(1)]);
  assert.match(output, /poetry\.lock is generated from it .*\(poetry lock\)/);
});

test('Pipfile: [packages] gets uWSGI, [dev-packages] the tools; Pipfile.lock is left for pipenv lock', () => {
  const dir = repository({ Pipfile: '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\nflask = "*"\n\n[dev-packages]\n', 'Pipfile.lock': '{"_meta": {}}\n' });
  const { before, after, output } = run(dir);
  assertNewFiles(before, after);
  const pipfile = toml(dir, 'Pipfile');
  assert.equal(pipfile.packages, { flask: '*', uWSGI: '==2.0.31' });
  assert.equal(Object.keys(pipfile['dev-packages']), devTools);
  assert.is(after['Pipfile.lock'], before['Pipfile.lock']);
  assert.match(output, /Pipfile\.lock is generated from it .*\(pipenv lock\)/);
});

test('a single requirements.txt: uWSGI there, the tools in a new requirements-dev.txt on top of it, never in what production installs', () => {
  const dir = repository({ 'requirements.txt': 'Flask==3.1.0\nWerkzeug==3.1.3\n', 'requirements-pi.txt': 'Flask==1.1.2\npicamera\n' });
  const { before, after } = run(dir);
  assertNewFiles(before, after, ['requirements-dev.txt']);
  assert.is(after['requirements.txt'], `Flask==3.1.0\nWerkzeug==3.1.3\n${uwsgi}\n`);
  assert.equal(after['requirements-pi.txt'], before['requirements-pi.txt'], 'a variant is not production\'s file');
  assert.match(after['requirements-dev.txt']!, /^-r requirements\.txt$/m);
  assert.equal(pipNames(dir, 'requirements.txt').sort(), ['flask', 'uwsgi', 'werkzeug']);
  assert.equal(pipNames(dir, 'requirements-dev.txt').sort(), ['coverage', 'flask', 'pytest', 'ruff', 'uwsgi', 'werkzeug']);
  // A re-run finds the development file it made and changes none of the repository's files.
  const { '.yo-rc.json': _record, ...files } = after;
  const { '.yo-rc.json': _again, ...filesAgain } = run(dir).after;
  assert.equal(filesAgain, files);
});

test('ambiguous: two files could be production\'s; exit 2 naming --prod-requirements and nothing written; with it, uWSGI goes there', () => {
  const dir = repository({ 'requirements-pi.txt': 'Flask==1.1.2\npicamera\n', 'requirements-opencv.txt': 'Flask==1.1.2\nopencv-python\n' });
  const state = folderState(dir);
  const refused = pyrepo(add, dir);
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /Cannot tell where production's dependencies are declared: no file is production's: requirements-opencv\.txt, requirements-pi\.txt could each be/);
  assert.match(refused.stderr, /--prod-requirements/);
  assert.not.match(refused.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(folderState(dir), state, 'nothing written');
  const { before, after } = run(dir, [...add, '--prod-requirements', 'requirements-pi.txt']);
  assertNewFiles(before, after, ['requirements-dev.txt']);
  assert.is(after['requirements-pi.txt'], `Flask==1.1.2\npicamera\n${uwsgi}\n`);
  assert.equal(after['requirements-opencv.txt'], before['requirements-opencv.txt']);
  assert.equal(pipNames(dir, 'requirements-pi.txt').sort(), ['flask', 'picamera', 'uwsgi']);
});

test('a generator that pip-installs a role declared in pyproject.toml refuses, naming the flag; nothing written', () => {
  const dir = repository({ 'pyproject.toml': '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["flask"]\n', 'uv.lock': 'version = 1\n' });
  const state = folderState(dir);
  const refused = pyrepo(['add', 'docker-prod', '--yes', '--framework', 'flask', '--wsgi-app', 'app:app'], dir);
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /ships uv\.lock \(from pyproject\.toml \[project\]\.dependencies\), which pip cannot install that way/);
  assert.match(refused.stderr, /--prod-requirements/);
  assert.equal(folderState(dir), state);
});

test.run();
