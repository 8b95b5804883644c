import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkGroovy, runPipeline, runPyrepo } from '@pyrepo/testing';

const testScript = 'python3 -m venv --clear .ci-venv\n.ci-venv/bin/python -m pip install --disable-pip-version-check -r requirements-dev.txt\n.ci-venv/bin/python -m pytest';

test('the Jenkinsfile parses; run as Jenkins would, every branch and pull request is tested and only a tag builds and archives the release', async () => {
  const full = await runPyrepo({ generators: ['requirements', 'vendor', 'setuptools', 'jenkins'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen' }, files: { 'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n' } });
  try {
    const jenkinsfile = join(full.dir, 'Jenkinsfile');
    assert.equal(checkGroovy(jenkinsfile), []);
    for (const build of ['branch', 'pr'] as const) {
      assert.equal(runPipeline(jenkinsfile, build), { stages: ['Test'], skipped: ['Release'], sh: [{ stage: 'Test', script: testScript }], archived: [] }, build);
    }
    assert.equal(runPipeline(jenkinsfile, 'tag'), {
      stages: ['Test', 'Release', 'Release > Vendor', 'Release > Build'],
      skipped: [],
      sh: [
        { stage: 'Test', script: testScript },
        { stage: 'Release > Vendor', script: 'PYTHON=.ci-venv/bin/python scripts/vendor.sh' },
        { stage: 'Release > Build', script: 'rm -rf dist && .ci-venv/bin/python -m build --sdist' },
      ],
      archived: [{ stage: 'Release', artifacts: 'dist/*.tar.gz' }],
    });
  } finally {
    full.cleanup();
  }
  const bare = await runPyrepo({ generators: ['jenkins'], values: { name: 'svc', agentPython: 'python3.12' } });
  try {
    const jenkinsfile = join(bare.dir, 'Jenkinsfile');
    assert.equal(checkGroovy(jenkinsfile), []);
    const tagBuild = runPipeline(jenkinsfile, 'tag');
    assert.equal(tagBuild.stages, ['Test'], 'nothing to release: no Release stage');
    assert.match(tagBuild.sh[0]?.script ?? '', /^python3\.12 -m venv/);
    assert.equal(tagBuild.archived, []);
  } finally {
    bare.cleanup();
  }
});

test('the pipeline model fails on a step or condition Jenkins does not have', async () => {
  const run = await runPyrepo({ generators: ['jenkins'], values: { name: 'svc' } });
  try {
    const jenkinsfile = join(run.dir, 'Jenkinsfile');
    writeFileSync(jenkinsfile, run.read('Jenkinsfile').replace("stage('Test') {", "stage('Test') {\n            when { buildingTog() }"));
    assert.throws(() => runPipeline(jenkinsfile, 'branch'), /buildingTog/);
  } finally {
    run.cleanup();
  }
});

test('a Jenkinsfile that does not parse is reported', async () => {
  const run = await runPyrepo({ generators: ['jenkins'], values: { name: 'svc' } });
  try {
    writeFileSync(join(run.dir, 'Jenkinsfile'), run.read('Jenkinsfile').replace(/\}\s*$/, ''));
    assert.match(checkGroovy(join(run.dir, 'Jenkinsfile')).join('\n'), /expecting '\}'/);
  } finally {
    run.cleanup();
  }
});

test.run();
