import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPyproject, checkSnapshot, parseRequirementsFiles, renderTree, runPyrepo } from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));

test('wpmedia-django: layered requirements and pyproject.toml, accepted by pip and validate-pyproject', async () => {
  const run = await runPyrepo({ preset: 'wpmedia-django', values: { name: 'blog' } });
  try {
    const tree = run.files();
    assert.equal(Object.keys(tree), ['.gitignore', '.yo-rc.json', 'README.md', 'pyproject.toml', 'requirements/base.txt', 'requirements/ci.txt', 'requirements/dev.txt', 'requirements/prod.txt']);
    const parsed = parseRequirementsFiles(run.dir, ['requirements/dev.txt', 'requirements/prod.txt']);
    assert.equal(parsed['requirements/dev.txt'], ['pytest==9.2.0', 'ruff==0.17.5', 'coverage==7.17.3']);
    assert.equal(parsed['requirements/prod.txt'], []);
    checkPyproject(run.dir);
    const stored = JSON.parse(tree['.yo-rc.json']!)['generator-pyrepo'];
    assert.equal(stored.project, { name: 'blog', package: 'blog', python: '3.12', framework: 'django', layout: 'layered', venvDir: '.venv', appUser: 'app', port: 8000 });
    assert.is(stored.preset, 'wpmedia-django');
    const problem = checkSnapshot(snapshots, 'blog', renderTree(tree));
    assert.is(problem, undefined, problem);

    const again = await runPyrepo({ preset: 'wpmedia-django', values: { name: 'blog' }, dir: run.dir });
    const statuses = again.log.trim().split('\n').map(line => line.trim().split(/\s+/)[0]);
    assert.equal([...new Set(statuses)].sort(), ['force', 'identical'], 're-running reports every file identical (Yeoman always rewrites .yo-rc.json)');
    assert.equal(again.files(), tree);
  } finally {
    run.cleanup();
  }
});

test.run();
