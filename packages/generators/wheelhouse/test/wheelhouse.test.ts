import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDockerfile, runPyrepo, runTool } from '@pyrepo/testing';

test('the Makefile honours REPO_NS, IMAGE_NAME and REPO_VERSION; the images pass the checks', async () => {
  const run = await runPyrepo({ generators: ['wheelhouse'], values: { name: 'polls', framework: 'django', settingsModule: 'polls.settings.prod', devSettingsModule: 'polls.settings.dev', wsgiApp: 'polls.wsgi:application', registryNamespace: 'acme' } });
  try {
    const make = (args: string[], env: Record<string, string> = {}) => runTool('make', ['-n', ...args], { cwd: run.dir, env: { PATH: process.env.PATH, ...env } }).trim();
    assert.is(make(['release']), 'docker build --build-arg BASE_IMAGE=acme/polls-base:latest -t acme/polls:latest .');
    assert.is(make(['release'], { REPO_NS: 'other', IMAGE_NAME: 'site', REPO_VERSION: '2.0' }), 'docker build --build-arg BASE_IMAGE=other/site-base:2.0 -t other/site:2.0 .');
    // The release image runs on the base image's WORKDIR and user: the same production rules (the app user does not own /app).
    assert.equal(checkDockerfile(run.read('docker/base/Dockerfile'), { production: true }), []);
    assert.equal(checkDockerfile(run.read('Dockerfile'), { production: true }), []);
    assert.match(run.read('Dockerfile'), /--find-links \/wheelhouse "polls\[prod\]"\n/, 'the layered layout keeps uWSGI in a prod extra');
  } finally {
    run.cleanup();
  }
  const single = await runPyrepo({ generators: ['wheelhouse'], values: { name: 'polls', framework: 'django', settingsModule: 'polls.settings.prod', devSettingsModule: 'polls.settings.dev', wsgiApp: 'polls.wsgi:application', layout: 'single' } });
  try {
    assert.match(single.read('Dockerfile'), /--find-links \/wheelhouse "polls"\n/);
    assert.match(single.read('docker/builder/Dockerfile'), /CMD \["pip", "wheel", "--wheel-dir", "\/wheelhouse", "\."\]/);
  } finally {
    single.cleanup();
  }
});

test('another framework is refused', async () => {
  try {
    await runPyrepo({ generators: ['wheelhouse'], values: { name: 'x', framework: 'flask', wsgiApp: 'app:app' } });
    assert.unreachable('accepted flask');
  } catch (error) {
    assert.match((error as Error).message, /wheelhouse packages a Django application/);
  }
});

test.run();
