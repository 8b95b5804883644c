import { fileURLToPath } from 'node:url';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSnapshot, parseRequirementsFiles, python, renderTree, runPyrepo, runTool, tempDir, offlinePip } from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
const values = { name: 'shop', base: ['Django==5.2.8'], ci: ['pytest==9.2.0'], dev: ['ipython==9.0.0'], prod: ['uWSGI==2.0.31'] };

const layouts = {
  layered: {
    files: ['requirements/base.txt', 'requirements/ci.txt', 'requirements/dev.txt', 'requirements/prod.txt'],
    resolved: {
      'requirements/dev.txt': ['Django==5.2.8', 'pytest==9.2.0', 'ipython==9.0.0'],
      'requirements/ci.txt': ['Django==5.2.8', 'pytest==9.2.0'],
      'requirements/prod.txt': ['Django==5.2.8', 'uWSGI==2.0.31'],
    },
  },
  'app-dev-frozen': {
    files: ['requirements-app.txt', 'requirements-dev.txt', 'requirements.txt'],
    resolved: {
      'requirements-dev.txt': ['Django==5.2.8', 'uWSGI==2.0.31', 'pytest==9.2.0', 'ipython==9.0.0'],
      'requirements-app.txt': ['Django==5.2.8', 'uWSGI==2.0.31'],
      'requirements.txt': [],
    },
  },
  single: {
    files: ['requirements-dev.txt', 'requirements.txt'],
    resolved: {
      'requirements-dev.txt': ['Django==5.2.8', 'uWSGI==2.0.31', 'pytest==9.2.0', 'ipython==9.0.0'],
      'requirements.txt': ['Django==5.2.8', 'uWSGI==2.0.31'],
    },
  },
} as const;

for (const [layout, expected] of Object.entries(layouts)) {
  test(`${layout}: the files pip reads, every -r resolving, each role where the layout puts it`, async () => {
    const run = await runPyrepo({ generators: ['requirements'], values: { ...values, layout } });
    try {
      const tree = run.files();
      const requirementFiles = Object.keys(tree).filter(path => path.endsWith('.txt'));
      assert.equal(requirementFiles.sort(), [...expected.files].sort());
      assert.is('scripts/freeze-requirements.sh' in tree, layout === 'app-dev-frozen', 'the freeze script comes with the frozen lock');
      const parsed = parseRequirementsFiles(run.dir, Object.keys(expected.resolved));
      assert.equal(parsed, expected.resolved);
      assert.match(tree['README.md']!, /<!-- pyrepo:begin requirements -->\n## Dependencies/);
      const problem = checkSnapshot(snapshots, layout, renderTree(tree));
      assert.is(problem, undefined, problem);
    } finally {
      run.cleanup();
    }
  });
}

test('re-running changes nothing; the user\'s lines and pins are kept and new requirements appended', async () => {
  const first = await runPyrepo({ generators: ['requirements'], values });
  try {
    const again = await runPyrepo({ generators: ['requirements'], values, dir: first.dir });
    assert.not.match(again.log, /\b(create|conflict|force) (?!\.yo-rc\.json)/);
    assert.match(again.log, /identical requirements\/base\.txt/);
    const base = join(first.dir, 'requirements/base.txt');
    writeFileSync(base, first.read('requirements/base.txt').replace('Django==5.2.8', 'Django==5.2.1  # pinned by us') + 'requests==2.32.5\n');
    const edited = first.read('requirements/base.txt');
    const third = await runPyrepo({ generators: ['requirements'], values: { ...values, base: ['Django==6.1.3', 'requests==2.0', 'Flask==3.1.3'] }, dir: first.dir });
    assert.not.match(third.log, /conflict/);
    assert.is(first.read('requirements/base.txt'), `${edited}Flask==3.1.3\n`);
  } finally {
    first.cleanup();
  }
});

test('freeze-requirements.sh refuses an empty result: nothing to freeze fails, naming the fix, and the lock stays as it was', async () => {
  const run = await runPyrepo({ generators: ['requirements'], values: { name: 'shop', layout: 'app-dev-frozen' } });
  const wheels = tempDir('pyrepo-wheels-');
  try {
    const lock = run.read('requirements.txt');
    try {
      runTool('scripts/freeze-requirements.sh', [], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHON: python, ...offlinePip(wheels) } });
      assert.unreachable('froze an empty lock');
    } catch (error) {
      assert.match((error as Error).message, /installing requirements-app\.txt gave nothing to freeze; add the application's dependencies to it \(requirements\.txt is left as it was\)/);
    }
    assert.is(run.read('requirements.txt'), lock);
  } finally {
    run.cleanup();
    rmSync(wheels, { recursive: true, force: true });
  }
});

test('an invalid requirement is refused before anything is written', async () => {
  for (const bad of ['--index-url http://evil', 'Django==5\nx', 'django; $(rm -rf /)', '../local']) {
    try {
      await runPyrepo({ generators: ['requirements'], values: { name: 'shop', base: [bad] } });
      assert.unreachable(`accepted ${JSON.stringify(bad)}`);
    } catch (error) {
      assert.match((error as Error).message, /Invalid option --base of generator "requirements" \(item 1\): must be a PEP 508 requirement/);
    }
  }
});

test.run();
