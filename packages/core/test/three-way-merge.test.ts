import { parse } from 'smol-toml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conflictMarkersIn, mergeThreeWay, strategyFor, type ThreeWayResult } from '../src/index.js';

const labels = { yours: 'yours', base: 'pyrepo 1.2.0', theirs: 'pyrepo 1.3.0' };
const merge = (path: string, base: string | undefined, yours: string, theirs: string): ThreeWayResult => mergeThreeWay({ path, base, yours, theirs, labels });
const lines = (...items: string[]) => items.map(line => `${line}\n`).join('');
const conflict = (yours: string[], base: string[], theirs: string[], baseLabel = labels.base) => [`<<<<<<< yours`, ...yours, `||||||| ${baseLabel}`, ...base, '=======', ...theirs, '>>>>>>> pyrepo 1.3.0'];

interface Row {
  name: string;
  path: string;
  base: string | undefined;
  yours: string;
  theirs: string;
  expected: string;
  outcome: ThreeWayResult['outcome'];
  conflicts?: number;
}

function table(rows: Row[]) {
  for (const row of rows) {
    test(`${strategyFor(row.path)}: ${row.name}`, () => {
      const result = merge(row.path, row.base, row.yours, row.theirs);
      assert.is(result.text, row.expected);
      assert.is(result.outcome, row.outcome);
      assert.is(result.conflicts, row.conflicts ?? 0);
      assert.is(conflictMarkersIn(result.text).length > 0, result.conflicts > 0, 'markers iff conflicts');
    });
  }
}

table([
  { name: 'yours = base takes theirs', path: 'uwsgi.ini', base: lines('a', 'b'), yours: lines('a', 'b'), theirs: lines('a', 'B'), expected: lines('a', 'B'), outcome: 'fast-forward' },
  { name: 'theirs = base keeps yours byte for byte', path: 'uwsgi.ini', base: lines('a', 'b'), yours: 'a\r\nb2\r\n', theirs: lines('a', 'b'), expected: 'a\r\nb2\r\n', outcome: 'kept' },
  { name: 'yours = theirs is unchanged, whatever their line endings', path: 'uwsgi.ini', base: lines('a'), yours: 'a\r\nb\r\n', theirs: lines('a', 'b'), expected: 'a\r\nb\r\n', outcome: 'unchanged' },
  { name: 'a CRLF copy of the base takes theirs in CRLF', path: 'Dockerfile', base: lines('FROM x', 'RUN a'), yours: 'FROM x\r\nRUN a\r\n', theirs: lines('FROM y', 'RUN a'), expected: 'FROM y\r\nRUN a\r\n', outcome: 'fast-forward' },
  { name: 'a file without its final newline keeps it so (and merges, not a conflict on the last line)', path: 'Dockerfile', base: lines('FROM x', 'WORKDIR /app', 'CMD c'), yours: 'FROM x\nWORKDIR /app\nCMD mine', theirs: lines('FROM y', 'WORKDIR /app', 'CMD c'), expected: 'FROM y\nWORKDIR /app\nCMD mine', outcome: 'merged' },
  { name: 'changes on different lines merge', path: 'uwsgi.ini', base: lines('[uwsgi]', 'module = app', 'processes = 2', 'threads = 2', 'master = true'), yours: lines('[uwsgi]', 'module = mine', 'processes = 2', 'threads = 2', 'master = true'), theirs: lines('[uwsgi]', 'module = app', 'processes = 2', 'threads = 2', 'master = true', 'vacuum = true'), expected: lines('[uwsgi]', 'module = mine', 'processes = 2', 'threads = 2', 'master = true', 'vacuum = true'), outcome: 'merged' },
  { name: 'the same change on both sides and another of theirs merge', path: 'uwsgi.ini', base: lines('a', 'b', 'c', 'd'), yours: lines('a', 'B', 'c', 'd'), theirs: lines('a', 'B', 'c', 'D'), expected: lines('a', 'B', 'c', 'D'), outcome: 'merged' },
  {
    name: 'one line changed differently: diff3 markers with the base section, labelled',
    path: 'uwsgi.ini',
    base: lines('a', 'processes = 2', 'z'),
    yours: lines('a', 'processes = 8', 'z'),
    theirs: lines('a', 'processes = 4', 'z'),
    expected: lines('a', ...conflict(['processes = 8'], ['processes = 2'], ['processes = 4']), 'z'),
    outcome: 'conflict',
    conflicts: 1,
  },
  { name: 'no base, the same text: unchanged', path: 'uwsgi.ini', base: undefined, yours: 'a\r\n', theirs: 'a\n', expected: 'a\r\n', outcome: 'unchanged' },
  {
    name: 'no base, different texts: one conflict around what differs, the base section marked unknown',
    path: 'uwsgi.ini',
    base: undefined,
    yours: lines('a', 'mine', 'z'),
    theirs: lines('a', 'new', 'newer', 'z'),
    expected: lines('a', ...conflict(['mine'], [], ['new', 'newer'], 'pyrepo 1.2.0 (base unknown)'), 'z'),
    outcome: 'conflict',
    conflicts: 1,
  },
  { name: 'no base and a structured strategy: still one conflict (nothing is known to be yours)', path: 'requirements.txt', base: undefined, yours: lines('a==1'), theirs: lines('a==1', 'b==1'), expected: lines('a==1', ...conflict([], [], ['b==1'], 'pyrepo 1.2.0 (base unknown)')), outcome: 'conflict', conflicts: 1 },
]);

table([
  {
    name: 'bumps upstream, your comment and your added line: all kept, no conflict (line merges conflict here)',
    path: 'requirements/base.txt',
    base: lines('# Deps', 'Django==5.2', 'uWSGI==2.0.30'),
    yours: lines('# Deps', 'Django==5.2  # pinned on purpose', 'requests==2.32', 'uWSGI==2.0.30'),
    theirs: lines('# Deps', 'Django==6.0', 'uWSGI==2.0.31', 'whitenoise==6.9'),
    expected: lines('# Deps', 'Django==6.0  # pinned on purpose', 'requests==2.32', 'uWSGI==2.0.31', 'whitenoise==6.9'),
    outcome: 'merged',
  },
  {
    name: 'one package changed differently on both sides: a conflict on that line only, the rest merged',
    path: 'requirements.txt',
    base: lines('a==1', 'b==1', 'c==1'),
    yours: lines('a==2', 'b==1', 'c==1', 'mine==1'),
    theirs: lines('a==3', 'b==2', 'c==1'),
    expected: lines(...conflict(['a==2'], ['a==1'], ['a==3']), 'b==2', 'c==1', 'mine==1'),
    outcome: 'conflict',
    conflicts: 1,
  },
  { name: 'the same bump on both sides, written differently, keeps your writing', path: 'requirements.txt', base: lines('Django==5.2', 'x'), yours: lines('django == 6.0', 'x'), theirs: lines('Django==6.0', 'y'), expected: lines('django == 6.0', 'y'), outcome: 'merged' },
  { name: 'removed upstream and untouched: removed', path: 'requirements.txt', base: lines('a==1', 'gone==1', 'b==1'), yours: lines('a==1', 'gone==1', 'b==1', 'mine'), theirs: lines('a==1', 'b==1'), expected: lines('a==1', 'b==1', 'mine'), outcome: 'merged' },
  { name: 'removed upstream but changed by you: a conflict, theirs empty', path: 'requirements.txt', base: lines('a==1', 'gone==1', 'b==1'), yours: lines('a==1', 'gone==2', 'b==1'), theirs: lines('a==1', 'b==1'), expected: lines('a==1', ...conflict(['gone==2'], ['gone==1'], []), 'b==1'), outcome: 'conflict', conflicts: 1 },
  { name: 'removed by you and bumped upstream: stays removed', path: 'requirements.txt', base: lines('a==1', 'psycopg==3.1', 'b==1'), yours: lines('a==1', 'b==1'), theirs: lines('a==1', 'psycopg==3.2', 'b==1', 'c==1'), expected: lines('a==1', 'b==1', 'c==1'), outcome: 'merged' },
  { name: 'the same package added on both sides at different places: once, where you put it', path: 'requirements.txt', base: lines('# x', 'a==1', 'b==1'), yours: lines('# x', 'celery==5', 'a==1', 'b==1'), theirs: lines('# x', 'a==1', 'b==1', 'celery==5'), expected: lines('# x', 'celery==5', 'a==1', 'b==1'), outcome: 'merged' },
  { name: 'one project under two markers: two requirements', path: 'requirements.txt', base: lines('numpy==1.26; python_version < "3.10"', 'numpy==2.1; python_version >= "3.10"'), yours: lines('numpy==1.25; python_version < "3.10"', 'numpy==2.1; python_version >= "3.10"'), theirs: lines('numpy==1.26; python_version < "3.10"', 'numpy==2.2; python_version >= "3.10"'), expected: lines('numpy==1.25; python_version < "3.10"', 'numpy==2.2; python_version >= "3.10"'), outcome: 'merged' },
  {
    name: 'an option changed differently on both sides: a conflict around it',
    path: 'requirements/dev.txt',
    base: lines('-r base.txt', 'pytest==8'),
    yours: lines('-r mine.txt', 'pytest==8'),
    theirs: lines('-r ci.txt', 'pytest==9'),
    expected: lines(...conflict(['-r mine.txt'], ['-r base.txt'], ['-r ci.txt']), 'pytest==9'),
    outcome: 'conflict',
    conflicts: 1,
  },
  { name: 'a line starting with a NUL character is kept (merged line by line)', path: 'requirements.txt', base: lines('\u0000x', 'a==1', '# c', 'z'), yours: lines('\u0000x', 'a==2', '# c', 'z'), theirs: lines('\u0000x', 'a==1', '# c', 'z2'), expected: lines('\u0000x', 'a==2', '# c', 'z2'), outcome: 'merged' },
  { name: 'continued lines (hashes): their bump with its new hash and your change below both land', path: 'requirements.txt', base: lines('a==1 \\', '    --hash=sha256:aa', '# c', 'b==1'), yours: lines('a==1 \\', '    --hash=sha256:aa', '# c', 'b==2'), theirs: lines('a==2 \\', '    --hash=sha256:bb', '# c', 'b==1'), expected: lines('a==2 \\', '    --hash=sha256:bb', '# c', 'b==2'), outcome: 'merged' },
]);

test('requirements: a file named like a requirements file only (LICENSE.txt is not one)', () => {
  assert.equal(
    ['requirements.txt', 'requirements-dev.in', 'test_requirements.txt', 'requirements/prod.txt', 'docs/requirements.txt', 'LICENSE.txt', 'notes/base.txt'].map(strategyFor),
    ['requirements', 'requirements', 'requirements', 'requirements', 'requirements', 'lines', 'lines'],
  );
  assert.equal(['pyproject.toml', 'ruff.toml', 'Pipfile', '.gitignore', 'docker/.dockerignore', 'Dockerfile.dockerignore', 'README.md', 'docs/README.md', 'uwsgi.ini'].map(strategyFor), ['toml', 'toml', 'toml', 'ignore', 'ignore', 'ignore', 'readme-sections', 'lines', 'lines']);
});

const pyproject = (deps: string[], name: string, ruff: string[]) => lines('[project]', `name = ${name}`, 'dependencies = [', ...deps.map(dep => `  "${dep}",`), ']', '', '[tool.ruff]', ...ruff);

table([
  {
    name: 'your dependency and comment, their bump and new key: merged by key, your layout',
    path: 'pyproject.toml',
    base: pyproject(['django==5.2', 'uwsgi==2.0'], '"app"', ['line-length = 100']),
    yours: pyproject(['django==5.2', 'requests', 'uwsgi==2.0'], '"app"  # the name', ['line-length = 100']),
    theirs: pyproject(['django==6.0', 'uwsgi==2.0'], '"app"', ['line-length = 100', 'target-version = "py312"']),
    expected: pyproject(['django==6.0', 'requests', 'uwsgi==2.0'], '"app"  # the name', ['line-length = 100', 'target-version = "py312"']),
    outcome: 'merged',
  },
  {
    name: 'one key changed differently: markers around its line, the rest merged',
    path: 'pyproject.toml',
    base: pyproject(['django==5.2'], '"app"', ['line-length = 100', 'fix = false']),
    yours: pyproject(['django==5.2'], '"app"', ['line-length = 120', 'fix = false']),
    theirs: pyproject(['django==6.0'], '"app"', ['line-length = 110', 'fix = false']),
    expected: lines('[project]', 'name = "app"', 'dependencies = [', '  "django==6.0",', ']', '', '[tool.ruff]', ...conflict(['line-length = 120'], ['line-length = 100'], ['line-length = 110']), 'fix = false'),
    outcome: 'conflict',
    conflicts: 1,
  },
  {
    name: 'keys next to each other changed by each side (a line conflict) merge by key',
    path: 'pyproject.toml',
    base: lines('[tool.ruff]', 'line-length = 100', 'fix = false'),
    yours: lines('[tool.ruff]', 'line-length = 120', 'fix = false'),
    theirs: lines('[tool.ruff]', 'line-length = 100', 'fix = true'),
    expected: lines('[tool.ruff]', 'line-length = 120', 'fix = true'),
    outcome: 'merged',
  },
  {
    name: 'an inline dependency array: your addition and their bump on one line, by project',
    path: 'pyproject.toml',
    base: lines('[project]', 'name = "app"', 'dependencies = ["django==5.2", "uwsgi"]'),
    yours: lines('[project]', 'name = "app"', 'dependencies = ["django==5.2", "uwsgi", "requests"]'),
    theirs: lines('[project]', 'name = "app"', 'dependencies = ["django==6.0", "uwsgi"]'),
    expected: lines('[project]', 'name = "app"', 'dependencies = ["django==6.0", "uwsgi", "requests"]'),
    outcome: 'merged',
  },
  { name: 'a key you removed stays removed when theirs changes it', path: 'pyproject.toml', base: lines('[tool.x]', 'a = 1', 'b = 1'), yours: lines('[tool.x]', 'b = 2'), theirs: lines('[tool.x]', 'a = 2', 'b = 1'), expected: lines('[tool.x]', 'b = 2'), outcome: 'merged' },
  {
    name: 'a key removed upstream that you changed: a conflict, theirs empty',
    path: 'pyproject.toml',
    base: lines('[tool.x]', 'a = 1', 'b = 1'),
    yours: lines('[tool.x]', 'a = 5', 'b = 1', 'c = 1'),
    theirs: lines('[tool.x]', 'b = 1'),
    expected: lines('[tool.x]', ...conflict(['a = 5'], ['a = 1'], []), 'b = 1', 'c = 1'),
    outcome: 'conflict',
    conflicts: 1,
  },
  {
    name: 'a table new upstream is added; your comments stay',
    path: 'pyproject.toml',
    base: lines('[project]', 'name = "app"'),
    yours: lines('# mine', '[project]', 'name = "app"', 'version = "2"  # bumped'),
    theirs: lines('[project]', 'name = "app"', '', '[tool.pytest.ini_options]', 'addopts = "-q"'),
    expected: lines('# mine', '[project]', 'name = "app"', 'version = "2"  # bumped', '', '[tool.pytest.ini_options]', 'addopts = "-q"'),
    outcome: 'merged',
  },
  { name: 'not TOML on your side: merged line by line', path: 'pyproject.toml', base: lines('[a]', 'x = 1', 'y = 1', 'z = 1'), yours: lines('[a]', 'x = ', 'y = 1', 'z = 1'), theirs: lines('[a]', 'x = 1', 'y = 1', 'z = 2'), expected: lines('[a]', 'x = ', 'y = 1', 'z = 2'), outcome: 'merged' },
]);

test('toml: every merged document without conflicts parses', () => {
  const result = merge('pyproject.toml', pyproject(['django==5.2', 'uwsgi==2.0'], '"app"', ['line-length = 100']), pyproject(['django==5.2', 'requests', 'uwsgi==2.0'], '"app"', ['line-length = 100', 'fix = true']), pyproject(['django==6.0', 'uwsgi==2.1', 'whitenoise'], '"app"', ['line-length = 88']));
  assert.is(result.conflicts, 0);
  assert.equal(JSON.parse(JSON.stringify(parse(result.text))), { project: { name: 'app', dependencies: ['django==6.0', 'requests', 'uwsgi==2.1', 'whitenoise'] }, tool: { ruff: { 'line-length': 88, fix: true } } });
});

table([
  { name: 'both sides add and remove: union of additions, removals applied, your order', path: '.gitignore', base: lines('# Python', '*.pyc', '__pycache__/', '.env'), yours: lines('# Python', '.env', '*.pyc', '__pycache__/', 'secrets/'), theirs: lines('# Python', '__pycache__/', '.env', '.venv/'), expected: lines('# Python', '.env', '__pycache__/', 'secrets/', '.venv/'), outcome: 'merged' },
  { name: 'a line theirs adds that you already have is not doubled', path: '.dockerignore', base: lines('.git', 'node_modules'), yours: lines('.venv', '.git', 'node_modules'), theirs: lines('.git', 'node_modules', '.venv'), expected: lines('.venv', '.git', 'node_modules'), outcome: 'merged' },
  { name: 'a line theirs removed goes even where you moved it', path: '.gitignore', base: lines('*.pyc', '.env', 'build/'), yours: lines('*.pyc', 'build/', 'mine/', '.env'), theirs: lines('*.pyc', 'build/'), expected: lines('*.pyc', 'build/', 'mine/'), outcome: 'merged' },
  { name: 'a line you removed stays removed', path: '.gitignore', base: lines('a', 'b', 'c'), yours: lines('a', 'c'), theirs: lines('a', 'b', 'c', 'd'), expected: lines('a', 'c', 'd'), outcome: 'merged' },
]);

const readme = (...parts: string[]) => lines(...parts);
const section = (id: string, ...body: string[]) => [`<!-- pyrepo:begin ${id} -->`, ...body, `<!-- pyrepo:end ${id} -->`];

table([
  {
    name: 'your text outside the sections untouched (even where theirs changed it); sections merged; a new one placed after its neighbour',
    path: 'README.md',
    base: readme('# app', '', ...section('run', '## Run', '', 'make run'), '', ...section('deploy', '## Deploy', '', 'make deploy')),
    yours: readme('# My app', '', 'About it.', '', ...section('run', '## Run', '', 'make run', '', 'Or docker.'), '', 'My notes.', '', ...section('deploy', '## Deploy', '', 'make deploy')),
    theirs: readme('# app (new)', '', ...section('run', '## Run locally', '', 'make run'), '', ...section('test', '## Test', '', 'make test'), '', ...section('deploy', '## Deploy', '', 'make deploy')),
    expected: readme('# My app', '', 'About it.', '', ...section('run', '## Run locally', '', 'make run', '', 'Or docker.'), '', ...section('test', '## Test', '', 'make test'), '', 'My notes.', '', ...section('deploy', '## Deploy', '', 'make deploy')),
    outcome: 'merged',
  },
  { name: 'a section new upstream before the first one goes before it', path: 'README.md', base: readme('# app', '', ...section('run', 'R')), yours: readme('# mine', '', ...section('run', 'R')), theirs: readme('# app', '', ...section('intro', 'I'), '', ...section('run', 'R2')), expected: readme('# mine', '', ...section('intro', 'I'), '', ...section('run', 'R2')), outcome: 'merged' },
  { name: 'a section removed upstream and untouched goes (with its blank line); one you removed stays removed', path: 'README.md', base: readme('# app', '', ...section('a', 'A'), '', ...section('b', 'B')), yours: readme('# app', '', ...section('a', 'A'), '', 'mine'), theirs: readme('# app', '', ...section('b', 'B2')), expected: readme('# app', '', 'mine'), outcome: 'merged' },
  {
    name: 'a section removed upstream that you edited: a conflict around the whole section',
    path: 'README.md',
    base: readme('# app', '', ...section('a', 'A'), '', ...section('b', 'B')),
    yours: readme('# app', '', ...section('a', 'A, edited'), '', ...section('b', 'B')),
    theirs: readme('# app', '', ...section('b', 'B2')),
    expected: readme('# app', '', ...conflict(section('a', 'A, edited'), section('a', 'A'), []), '', ...section('b', 'B2')),
    outcome: 'conflict',
    conflicts: 1,
  },
  { name: 'unpaired markers: merged line by line', path: 'README.md', base: readme('# app', '<!-- pyrepo:begin a -->', 'x', 'y', 'z'), yours: readme('# mine', '<!-- pyrepo:begin a -->', 'x', 'y', 'z'), theirs: readme('# app', '<!-- pyrepo:begin a -->', 'x', 'y', 'z2'), expected: readme('# mine', '<!-- pyrepo:begin a -->', 'x', 'y', 'z2'), outcome: 'merged' },
]);

test('conflictMarkersIn finds each marker line (1-based), CRLF too; a lone ======= underline is no marker', () => {
  assert.equal(conflictMarkersIn('a\n<<<<<<< yours\nb\n||||||| base\nc\n=======\nd\n>>>>>>> theirs\n'), [2, 4, 6, 8]);
  assert.equal(conflictMarkersIn('<<<<<<< yours\r\nb\r\n=======\r\n'), [1, 3]);
  assert.equal(conflictMarkersIn('Title\n=======\n\ntext\n'), []);
  assert.equal(conflictMarkersIn('<<<<<<<< eight\n>>>>>>>x\n<<<<<<\n'), []);
  assert.equal(conflictMarkersIn('x\n>>>>>>>\n'), [2]);
});

test('labels are one line each', () => {
  const result = mergeThreeWay({ path: 'x', base: 'a\n', yours: 'b\n', theirs: 'c\n', labels: { yours: 'yours\n', base: 'v1\r\nevil', theirs: 'v2' } });
  assert.is(result.text, '<<<<<<< yours\nb\n||||||| v1 evil\na\n=======\nc\n>>>>>>> v2\n');
});

test.run();
