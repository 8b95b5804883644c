import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkGroovy, runPyrepo } from '@pyrepo/testing';

test('the Jenkinsfile parses; its stages follow what the repository has', async () => {
  const full = await runPyrepo({ generators: ['requirements', 'vendor', 'setuptools', 'jenkins'], values: { name: 'shop', framework: 'flask', layout: 'app-dev-frozen' }, files: { 'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n' } });
  try {
    assert.equal(checkGroovy(join(full.dir, 'Jenkinsfile')), []);
    const text = full.read('Jenkinsfile');
    assert.match(text, /when \{ buildingTag\(\) \}/);
    assert.match(text, /python3 -m venv --clear \.ci-venv\n.*pip install --disable-pip-version-check -r requirements-dev\.txt\n.*-m pytest/);
    assert.match(text, /stage\('Vendor'\)[\s\S]*stage\('Build'\)[\s\S]*archiveArtifacts artifacts: 'dist\/\*\.tar\.gz', fingerprint: true/);
  } finally {
    full.cleanup();
  }
  const bare = await runPyrepo({ generators: ['jenkins'], values: { name: 'svc', agentPython: 'python3.12' } });
  try {
    assert.equal(checkGroovy(join(bare.dir, 'Jenkinsfile')), []);
    const text = bare.read('Jenkinsfile');
    assert.match(text, /python3\.12 -m venv/);
    assert.not.match(text, /stage\('Vendor'\)|stage\('Build'\)|stage\('Zipapp'\)|archiveArtifacts/);
  } finally {
    bare.cleanup();
  }
});

test('a Jenkinsfile that does not parse is reported', async () => {
  const run = await runPyrepo({ generators: ['jenkins'], values: { name: 'svc' } });
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(run.dir, 'Jenkinsfile'), run.read('Jenkinsfile').replace(/\}\s*$/, ''));
    assert.match(checkGroovy(join(run.dir, 'Jenkinsfile')).join('\n'), /expecting '\}'/);
  } finally {
    run.cleanup();
  }
});

test.run();
