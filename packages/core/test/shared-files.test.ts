import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PyrepoError, SharedFiles, addReadmeSection, appendIgnoreLines, appendRequirements, includedFiles, isRequirement, mergeToml, requirementName } from '../src/index.js';

test('requirement names are read from every kind of line', () => {
  assert.is(requirementName('Django==5.2'), 'django');
  assert.is(requirementName('  requests[socks] >= 2  # http'), 'requests');
  assert.is(requirementName('Foo.Bar_baz ; python_version < "3.12"'), 'foo-bar-baz');
  assert.is(requirementName('pkg @ https://example.com/pkg.whl'), 'pkg');
  assert.is(requirementName('-r base.txt'), undefined);
  assert.is(requirementName('--index-url https://x'), undefined);
  assert.is(requirementName('# Django==1'), undefined);
  assert.equal(includedFiles('-r base.txt\n--requirement=ci.txt\n-rdev.txt\n-c constraints.txt\n'), ['base.txt', 'ci.txt', 'dev.txt']);
});

test('a requirement option is what pip accepts: PEP 440 specifiers, markers joined by and/or; no URLs or options', () => {
  for (const spec of ['Django==5.2', 'Django>=5.2,<6', 'uvicorn[standard]==0.54.0', 'x == 1.0', 'x==1.*', 'x!=1.0.*', 'x~=1.2', 'x>=1.0rc1', 'x[]', 'x[a, b]', 'x; python_version < "3.12"', "x ; sys_platform == 'linux' and extra == 'tests'", 'x; "3.10" <= python_version']) {
    assert.ok(isRequirement(spec), spec);
  }
  for (const spec of ['a;bfuzz', 'x>=abc', 'x~=1', 'x>=1.*', 'x<=1.0+local', 'x[,]', 'x;', 'x; extra == "t" or', 'x; os.system("id")', 'x @ https://e.com/x.whl', '-e .', '--index-url https://e.com', 'x=1', '']) {
    assert.not.ok(isRequirement(spec), spec);
  }
});

test('appending requirements keeps the user pins and is idempotent', () => {
  const text = '# mine\ndjango==4.2  # pinned on purpose\n';
  const once = appendRequirements(text, ['Django==6.1.3', 'uWSGI==2.0.31'], new Set(['django']));
  assert.is(once, '# mine\ndjango==4.2  # pinned on purpose\nuWSGI==2.0.31\n');
  assert.is(appendRequirements(once, ['uwsgi==1', 'Django'], new Set(['django', 'uwsgi'])), once);
  assert.is(appendRequirements('x==1', ['y==2'], new Set()), 'x==1\ny==2\n');
});

function memoryRepo(files: Record<string, string> = {}) {
  return { files, read: (path: string) => files[path], write: (path: string, contents: string) => void (files[path] = contents) };
}

test('a role lands in its layout file, with the -r chain created; names provided through -r are not added twice', () => {
  const repo = memoryRepo();
  const shared = new SharedFiles(repo, 'layered', 'generator test');
  shared.addRequirements('dev', ['ipython==9']);
  assert.equal(Object.keys(repo.files).sort(), ['requirements/base.txt', 'requirements/ci.txt', 'requirements/dev.txt']);
  assert.match(repo.files['requirements/dev.txt']!, /^-r ci\.txt$/m);
  assert.match(repo.files['requirements/ci.txt']!, /^-r base\.txt$/m);
  shared.addRequirements('base', ['Django==6.1.3']);
  shared.addRequirements('dev', ['django==1.0', 'ipython==8']);
  assert.not.match(repo.files['requirements/dev.txt']!, /django/i);
  assert.is(repo.files['requirements/dev.txt']!.match(/ipython/g)!.length, 1);

  const app = memoryRepo();
  new SharedFiles(app, 'app-dev-frozen', 'generator test').addRequirements('ci', ['pytest==9.2.0']);
  assert.equal(Object.keys(app.files).sort(), ['requirements-app.txt', 'requirements-dev.txt']);
  assert.match(app.files['requirements-dev.txt']!, /^-r requirements-app\.txt\npytest==9\.2\.0\n$/m);

  const single = memoryRepo();
  const sharedSingle = new SharedFiles(single, 'single', 'generator test');
  sharedSingle.addRequirements('prod', ['uWSGI==2.0.31']);
  sharedSingle.addRequirements('ci', ['pytest==9.2.0']);
  // Development tools never go into the one file production installs.
  assert.equal(Object.keys(single.files).sort(), ['requirements-dev.txt', 'requirements.txt']);
  assert.match(single.files['requirements.txt']!, /uWSGI==2\.0\.31\n$/);
  assert.not.match(single.files['requirements.txt']!, /pytest/);
  assert.match(single.files['requirements-dev.txt']!, /^-r requirements\.txt\npytest==9\.2\.0\n$/m);
});

test('ignore lines are appended once, under a heading, after what the user wrote', () => {
  const text = '*.log\n.venv/';
  const once = appendIgnoreLines(text, ['.venv/', '.pytest_cache/', '.pytest_cache/'], 'Added by pyrepo (generator x)');
  assert.is(once, '*.log\n.venv/\n\n# Added by pyrepo (generator x)\n.pytest_cache/\n');
  assert.is(appendIgnoreLines(once, ['.pytest_cache/'], 'again'), once);
  assert.is(appendIgnoreLines('', ['a'], 'h'), '# h\na\n');
});

test('README sections are added between markers once, and an edited section is kept', () => {
  const section = { id: 'venv', title: 'Virtual environment', body: 'python3 -m venv .venv\n' };
  const created = addReadmeSection(undefined, section, 'blog');
  assert.is(created, '# blog\n\n<!-- pyrepo:begin venv -->\n## Virtual environment\n\npython3 -m venv .venv\n<!-- pyrepo:end venv -->\n');
  const edited = created.replace('python3 -m venv .venv', 'uv venv');
  assert.is(addReadmeSection(edited, { ...section, body: 'other' }, 'blog'), edited);
  const two = addReadmeSection('# Mine\n\nIntro.', { id: 'b', title: 'B', body: 'b' }, 'x');
  assert.is(two, '# Mine\n\nIntro.\n\n<!-- pyrepo:begin b -->\n## B\n\nb\n<!-- pyrepo:end b -->\n');
});

test('TOML merge: new tables become sections, existing values win, comments and layout stay', () => {
  const user = '# my settings\n[project]\nname = "blog"  # keep\n\n[tool.ruff]\nline-length = 100 # mine\n';
  const merged = mergeToml(user, { tool: { ruff: { 'line-length': 88, 'target-version': 'py312', lint: { select: ['E'] } }, pytest: { ini_options: { testpaths: ['tests'] } } } }, 'pyproject.toml');
  assert.ok(merged.startsWith('# my settings\n[project]\nname = "blog"  # keep\n'));
  assert.match(merged, /line-length = 100 # mine\ntarget-version = "py312"/);
  assert.match(merged, /\n\[tool\.ruff\.lint\]\nselect = \[ "E" \]\n/);
  assert.match(merged, /\n\[tool\.pytest\.ini_options\]\ntestpaths = \[ "tests" \]\n/);
  assert.is(mergeToml(merged, { tool: { ruff: { 'line-length': 60 } } }, 'pyproject.toml'), merged);
});

test('TOML merge into a table written inline still gives a document with every value', () => {
  const inline = 'tool = { ruff = { line-length = 100 } }\n';
  const merged = mergeToml(inline, { tool: { ruff: { lint: { select: ['E'] } }, black: { x: 1 } } }, 'pyproject.toml');
  assert.match(merged, /line-length = 100/);
  assert.match(merged, /select/);
  assert.match(merged, /black/);
});

test('TOML merge refuses a file that is not TOML, naming it, with exit code 2', () => {
  try {
    mergeToml('[tool\nx = ', { tool: {} }, 'pyproject.toml');
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, PyrepoError);
    assert.is((error as PyrepoError).exitCode, 2);
    assert.match((error as Error).message, /pyproject\.toml is not valid TOML/);
  }
});

test.run();
