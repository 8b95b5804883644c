import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildWheel, checkDockerfile, offlinePip, parseRequirementsFiles, python, runPyrepo, runTool, tagRelease, tempDir } from '@pyrepo/testing';

test('the Makefile honours REPO_NS, IMAGE_NAME, BASE_VERSION and REPO_VERSION; the release image is the git tag\'s version (untagged: make release refuses, naming the fix); the images pass the checks', async () => {
  const run = await runPyrepo({ generators: ['wheelhouse'], values: { name: 'polls', framework: 'django', settingsModule: 'polls.settings.prod', devSettingsModule: 'polls.settings.dev', wsgiApp: 'polls.wsgi:application', registryNamespace: 'acme' } });
  try {
    const make = (args: string[], env: Record<string, string> = {}) => runTool('make', ['-n', ...args], { cwd: run.dir, env: { PATH: process.env.PATH, ...env } }).trim();
    // The release is the git tag's: v1.2.0 is image acme/polls:1.2.0, with the 1.2.0 wheel make build wrote.
    tagRelease(run.dir, 'v1.2.0');
    const missing = spawnSync('make', ['-n', 'release'], { cwd: run.dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.is(missing.status, 2);
    assert.match(missing.stderr, /make release: no wheelhouse\/polls-1\.2\.0-\*\.whl for v1\.2\.0; run make build on the tagged checkout/);
    mkdirSync(join(run.dir, 'wheelhouse'));
    writeFileSync(join(run.dir, 'wheelhouse', 'polls-1.2.0-py3-none-any.whl'), '');
    assert.is(make(['release']), 'docker build --build-arg BASE_IMAGE=acme/polls-base:latest --build-arg VERSION=1.2.0 -t acme/polls:1.2.0 .');
    assert.is(make(['release'], { REPO_NS: 'other', IMAGE_NAME: 'site', BASE_VERSION: '2' }), 'docker build --build-arg BASE_IMAGE=other/site-base:2 --build-arg VERSION=1.2.0 -t other/site:1.2.0 .');
    assert.is(make(['run']), 'docker run -it --rm -p 127.0.0.1:8000:8000 acme/polls:1.2.0');
    // Another release, by its tag (a roll back): REPO_VERSION.
    assert.is(make(['run'], { REPO_VERSION: '1.1.0' }), 'docker run -it --rm -p 127.0.0.1:8000:8000 acme/polls:1.1.0');
    // A commit after the tag is no release.
    writeFileSync(join(run.dir, 'NOTES'), 'after the release\n');
    tagRelease(run.dir, 'not-a-release');
    const untagged = spawnSync('make', ['-n', 'release'], { cwd: run.dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.is(untagged.status, 2);
    assert.match(untagged.stderr, /make release: the checkout has no release tag; tag the commit \(git tag v1\.0\.0\), then make build and make release/);
    // The release image runs on the base image's WORKDIR and user: the same production rules (the app user does not own /app).
    assert.equal(checkDockerfile(run.read('docker/base/Dockerfile'), { production: true }), []);
    assert.equal(checkDockerfile(run.read('Dockerfile'), { production: true }), []);
    assert.match(run.read('Dockerfile'), /--find-links \/wheelhouse "polls\[prod\]==\$\{VERSION:\?[^}]+\}"\n/, 'the layered layout keeps uWSGI in a prod extra; the version is the release\'s');
  } finally {
    run.cleanup();
  }
  const single = await runPyrepo({ generators: ['wheelhouse'], values: { name: 'polls', framework: 'django', settingsModule: 'polls.settings.prod', devSettingsModule: 'polls.settings.dev', wsgiApp: 'polls.wsgi:application', layout: 'single' } });
  try {
    assert.match(single.read('Dockerfile'), /--find-links \/wheelhouse "polls==\$\{VERSION:\?[^}]+\}"\n/);
    assert.match(single.read('docker/builder/Dockerfile'), /CMD \["pip", "wheel", "--wheel-dir", "\/wheelhouse", "\."\]/);
  } finally {
    single.cleanup();
  }
});

test('make build test: the builder\'s pip wheel, run here for real (offline, on wheels the test builds), puts the release\'s prod extra (uWSGI) in the wheelhouse with the test extra; the release installs from it the version it is given, not a later release\'s wheel beside it', async () => {
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
    // A later release's wheel beside it (wheelhouse/ keeps them): the release image's install, as
    // the Dockerfile writes it, takes the version make release passes, from the wheelhouse only.
    tagRelease(run.dir, 'v1.1.0');
    runTool(python, ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--wheel-dir', join(work, 'wheelhouse'), '.'], { cwd: run.dir, env });
    assert.ok(readdirSync(join(work, 'wheelhouse')).includes('polls-1.1.0-py3-none-any.whl'));
    const install = /\/appenv\/bin\/pip install (.*)$/m.exec(run.read('Dockerfile'))![1]!.replaceAll('/wheelhouse', join(work, 'wheelhouse'));
    runTool('sh', ['-euc', `"$0" -m pip install --quiet --target "$1" ${install}`, python, join(work, 'site')], { env: { ...env, VERSION: '1.0.0' } });
    assert.equal(readdirSync(join(work, 'site')).filter(name => name.startsWith('polls-')), ['polls-1.0.0.dist-info'], 'the release\'s version, not the newest wheel');
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
