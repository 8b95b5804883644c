import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildWheel, checkDockerfile, offlinePip, parseRequirementsFiles, python, runPyrepo, runTool, tagRelease, tempDir } from '@pyrepo/testing';

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

test('make build test: the builder\'s pip wheel, run here for real (offline, on wheels the test builds), puts the release\'s prod extra (uWSGI) in the wheelhouse with the test extra; the release installs from it', async () => {
  const run = await runPyrepo({ generators: ['requirements', 'django', 'uwsgi', 'setuptools', 'wheelhouse'], values: { name: 'polls', framework: 'django', python: '3.11' } });
  const wheels = tempDir('pyrepo-wheels-');
  const work = tempDir('pyrepo-wheelhouse-');
  try {
    const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_BUILD_ISOLATION: '0', ...offlinePip(wheels) };
    // The builder builds a tagged checkout: setuptools-scm reads the release's version from the tag.
    tagRelease(run.dir, 'v1.0.0');
    // No PyPI: a tiny wheel for every requirement the extras and the application name.
    const requirements = parseRequirementsFiles(run.dir, ['requirements/prod.txt', 'requirements/ci.txt']);
    for (const line of new Set(Object.values(requirements).flat())) {
      const [, name, version] = /^([A-Za-z0-9._-]+)\s*(?:==|~=)\s*([0-9][^,;\s]*)/.exec(line)!;
      buildWheel(wheels, name!, version!, '');
    }
    // The builder's command as make gives it; /wheelhouse is a folder here, /application the repository.
    const line = runTool('make', ['-n', '--no-print-directory', 'build', 'test'], { cwd: run.dir, env }).split('\n').find(text => text.startsWith('docker run'))!;
    const [pip, wheel, ...args] = line.slice(line.indexOf('pip wheel')).split(' ');
    assert.equal([pip, wheel, ...args], ['pip', 'wheel', '--wheel-dir', '/wheelhouse', '.[prod,test]']);
    runTool(python, ['-m', 'pip', 'wheel', '--quiet', ...args.map(arg => arg.replace('/wheelhouse', join(work, 'wheelhouse')))], { cwd: run.dir, env });
    const built = readdirSync(join(work, 'wheelhouse'));
    assert.ok(built.some(file => /^uwsgi-/i.test(file)), `uWSGI's wheel for the release: ${built.join(' ')}`);
    assert.ok(built.some(file => /^pytest_django-/i.test(file)), `the test extra: ${built.join(' ')}`);
    // The release image's install: the application with its prod extra, from the wheelhouse only.
    runTool(python, ['-m', 'pip', 'install', '--quiet', '--no-index', '--find-links', join(work, 'wheelhouse'), '--target', join(work, 'site'), 'polls[prod]'], { env });
  } finally {
    run.cleanup();
    rmSync(wheels, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
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
