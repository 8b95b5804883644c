import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPyproject, checkSnapshot, parseRequirementsFiles, python, readTree, renderTree, runPyrepo, runTool, tempDir, writeTree } from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));

test('a new pyproject.toml passes validate-pyproject and tomllib, and the tools are installed in CI', async () => {
  const run = await runPyrepo({ generators: ['pyproject'], values: { name: 'blog', python: '3.11' } });
  try {
    const data = checkPyproject(run.dir) as { tool: Record<string, Record<string, unknown>> };
    assert.equal(data.tool.pytest, { ini_options: { testpaths: ['tests'], pythonpath: ['.'], addopts: '-ra --strict-markers' } });
    assert.equal(data.tool.ruff, { 'line-length': 88, 'target-version': 'py311', 'extend-exclude': ['.venv'], lint: { select: ['E', 'F', 'W', 'I', 'B', 'UP'] } });
    assert.equal(data.tool.coverage, { run: { source: ['blog'], branch: true }, report: { show_missing: true, skip_empty: true } });
    const ci = parseRequirementsFiles(run.dir, ['requirements/ci.txt'])['requirements/ci.txt'];
    assert.equal(ci, ['pytest==9.2.0', 'ruff==0.17.5', 'coverage==7.17.3']);
    assert.match(run.read('.gitignore'), /^\.pytest_cache\/\n\.ruff_cache\/\n\.coverage\n/m);
    const problem = checkSnapshot(snapshots, 'defaults', renderTree(run.files()));
    assert.is(problem, undefined, problem);
  } finally {
    run.cleanup();
  }
});

test('pytest and coverage read the generated configuration without a warning', async () => {
  const run = await runPyrepo({ generators: ['pyproject'], values: { name: 'blog' }, files: { 'blog/__init__.py': 'def answer():\n    return 42\n', 'tests/test_blog.py': 'from blog import answer\n\n\ndef test_answer():\n    assert answer() == 42\n' } });
  try {
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', COVERAGE_FILE: join(run.dir, '.coverage') };
    const output = runTool(python, ['-m', 'coverage', 'run', '-m', 'pytest', '-p', 'no:cacheprovider', '-W', 'error::pytest.PytestConfigWarning'], { cwd: run.dir, env });
    assert.match(output, /1 passed/);
    assert.match(output, /testpaths: tests/);
    const report = runTool(python, ['-m', 'coverage', 'report'], { cwd: run.dir, env });
    assert.match(report, /blog\/__init__\.py\s+2\s+0\s+0\s+0\s+100%/, 'branch coverage of the package only');
    assert.not.match(output + report, /Unrecognized option/);
  } finally {
    run.cleanup();
  }
});

test('merging into the user\'s pyproject.toml keeps every line they wrote and their values', async () => {
  const user = [
    '# Our project',
    '[project]',
    'name = "blog"  # the distribution',
    'version = "1.0"',
    '',
    '[tool.ruff]',
    'line-length = 120  # wide screens',
    '',
    '[tool.black]',
    'skip-string-normalization = true',
    '',
  ].join('\n');
  const run = await runPyrepo({ generators: ['pyproject'], values: { name: 'blog', tools: ['ruff', 'pytest'] }, files: { 'pyproject.toml': user } });
  try {
    const text = run.read('pyproject.toml');
    for (const line of user.split('\n').filter(Boolean)) assert.ok(text.includes(line), `kept: ${line}`);
    const data = checkPyproject(run.dir) as { tool: Record<string, Record<string, unknown>> };
    assert.is(data.tool.ruff!['line-length'], 120);
    assert.is(data.tool.ruff!['target-version'], 'py312');
    assert.ok(data.tool.pytest);
    assert.is(data.tool.coverage, undefined, 'coverage was not selected');
    assert.match(run.log, /merge pyproject\.toml/);
    const again = await runPyrepo({ generators: ['pyproject'], values: { name: 'blog', tools: ['ruff', 'pytest'] }, dir: run.dir });
    assert.match(again.log, /identical pyproject\.toml/);
    assert.is(readFileSync(join(run.dir, 'pyproject.toml'), 'utf8'), text);
  } finally {
    run.cleanup();
  }
});

test('a pyproject.toml that is not TOML stops the run, names the file, and nothing is written', async () => {
  const dir = tempDir();
  writeTree(dir, { 'pyproject.toml': '[tool.ruff\nline-length = 1\n' });
  try {
    await runPyrepo({ generators: ['pyproject'], values: { name: 'blog' }, dir });
    assert.unreachable('accepted invalid TOML');
  } catch (error) {
    assert.match((error as Error).message, /pyproject\.toml is not valid TOML/);
    assert.equal(readTree(dir), { 'pyproject.toml': '[tool.ruff\nline-length = 1\n' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('options are validated: line length bounds, tool names, test paths', async () => {
  for (const [values, pattern] of [
    [{ lineLength: 10 }, /--line-length of generator "pyproject": must be >= 60/],
    [{ tools: ['pytest', 'black'] }, /--tools of generator "pyproject" \(item 2\): must be one of pytest, ruff, coverage/],
    [{ testPaths: ['../outside'] }, /--test-paths .*relative folder path/],
  ] as const) {
    try {
      await runPyrepo({ generators: ['pyproject'], values: { name: 'blog', ...values } });
      assert.unreachable(JSON.stringify(values));
    } catch (error) {
      assert.match((error as Error).message, pattern);
    }
  }
});

test.run();
