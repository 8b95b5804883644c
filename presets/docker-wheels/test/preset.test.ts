// pypackage-docker: a Makefile, base/builder/release images, wheels.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDockerfile, checkShellScript, checkSnapshot, checkUwsgiIni, copyOf, python, renderTree, runPyrepo, runTool, tempDir, type RunPyrepoResult } from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
let run: RunPyrepoResult;

test.before(async () => {
  run = await runPyrepo({ preset: 'docker-wheels', values: { name: 'polls', python: '3.11', skipGit: true } });
});
test.after(() => run?.cleanup());

test('the files and the snapshot', () => {
  const tree = run.files();
  for (const file of ['Makefile', 'Dockerfile', 'docker/base/Dockerfile', 'docker/base/entrypoint.sh', 'docker/builder/Dockerfile', 'setup.py', 'MANIFEST.in', 'uwsgi.ini', 'manage.py', 'polls/settings/prod.py']) {
    assert.ok(tree[file], file);
  }
  assert.match(tree['.gitignore']!, /^\/wheelhouse\/$/m);
  const problem = checkSnapshot(snapshots, 'polls', renderTree(tree));
  assert.is(problem, undefined, problem);
});

const make = (args: string[], variables: Record<string, string> = {}) =>
  runTool('make', ['-n', '--no-print-directory', ...args], { cwd: run.dir, env: { ...env, ...variables } })
    .split('\n')
    .map(line => line.trimEnd())
    .filter(line => line !== '' && line !== ':');

test('make -n: every target expands to the docker commands, with the variables applied', () => {
  const here = run.dir;
  const builder = `docker run --rm --user "$(id -u):$(id -g)" -e HOME=/tmp -v "${here}":/application -v "${here}/wheelhouse":/wheelhouse polls/polls-builder:latest`;
  assert.equal(make(['image', 'docker/base']), ['docker build --build-arg BASE_IMAGE=polls/polls-base:latest -t polls/polls-base:latest -f docker/base/Dockerfile docker/base']);
  assert.equal(make(['image', 'docker/builder'], { REPO_NS: 'acme', REPO_VERSION: '1.0' }), ['docker build --build-arg BASE_IMAGE=acme/polls-base:1.0 -t acme/polls-builder:1.0 -f docker/builder/Dockerfile docker/builder']);
  assert.equal(make(['image']), ['docker build --build-arg BASE_IMAGE=polls/polls-base:latest -t polls/polls:latest -f ./Dockerfile .']);
  assert.equal(make(['build']), ['mkdir -p wheelhouse', builder]);
  // An extra's wheels come with the release's: uWSGI (the prod extra) stays in the wheelhouse.
  assert.equal(make(['build', 'test']), ['mkdir -p wheelhouse', `${builder} pip wheel --wheel-dir /wheelhouse .[prod,test]`]);
  assert.equal(make(['--', 'build', 'cmd', 'ls', '-l']), ['mkdir -p wheelhouse', `${builder} ls -l`]);
  assert.equal(make(['release'], { IMAGE_NAME: 'site' }), ['docker build --build-arg BASE_IMAGE=polls/site-base:latest -t polls/site:latest .']);
  const settings = { PORTS: '8000:8000 8443:443', VOLUMES: '/srv/static:/app/staticfiles', ENV_VARS: 'DJANGO_SECRET_KEY=s DJANGO_ALLOWED_HOSTS=example.com' };
  const flags = '-p 8000:8000 -p 8443:443 -v /srv/static:/app/staticfiles -e DJANGO_SECRET_KEY=s -e DJANGO_ALLOWED_HOSTS=example.com';
  assert.equal(make(['run', 'bash'], settings), [`docker run -it --rm ${flags} polls/polls:latest bash`]);
  assert.equal(make(['--', 'manage', 'collectstatic', '--noinput'], settings), [`docker run -it --rm ${flags} polls/polls:latest manage.py collectstatic --noinput`]);
  assert.equal(make(['run', 'bash']), ['docker run -it --rm -p 127.0.0.1:8000:8000 polls/polls:latest bash']);
});

test('images: base, builder and release pass the Dockerfile checks; the release installs wheels only', () => {
  assert.equal(checkDockerfile(run.read('docker/base/Dockerfile')), []);
  assert.equal(checkDockerfile(run.read('docker/builder/Dockerfile')), []);
  assert.equal(checkDockerfile(run.read('Dockerfile'), { production: true }), []);
  assert.match(run.read('Dockerfile'), /pip install --no-cache-dir --no-index --find-links \/wheelhouse "polls\[prod\]"/);
  assert.match(run.read('docker/builder/Dockerfile'), /CMD \["pip", "wheel", "--wheel-dir", "\/wheelhouse", "\.\[prod\]"\]/);
  assert.equal(checkUwsgiIni(run.read('uwsgi.ini')), []);
});

test('the entrypoint: shellcheck, and it runs its arguments, quoted, inside the virtual environment', () => {
  assert.equal(checkShellScript(join(run.dir, 'docker/base/entrypoint.sh')), []);
  const work = tempDir('pyrepo-appenv-');
  try {
    runTool(python, ['-m', 'venv', join(work, 'appenv')]);
    writeFileSync(join(work, 'entrypoint.sh'), run.read('docker/base/entrypoint.sh').replaceAll('/appenv', join(work, 'appenv')));
    const output = runTool('sh', [join(work, 'entrypoint.sh'), 'python', '-c', 'import sys; print(sys.prefix); print(sys.argv[1])', 'two words']);
    assert.equal(output.trim().split('\n'), [join(work, 'appenv'), 'two words']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the application builds as a wheel (the builder\'s pip wheel .), with manage.py as a script, and checks out installed', () => {
  const work = tempDir('pyrepo-wheelhouse-');
  // Building writes build/ and *.egg-info into the source folder: a copy keeps the generated one as it was.
  const source = copyOf(run.dir);
  try {
    runTool(python, ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--no-build-isolation', '--no-index', '--wheel-dir', join(work, 'wheelhouse'), '.'], { cwd: source.dir, env });
    const [wheel] = readdirSync(join(work, 'wheelhouse'));
    assert.match(wheel!, /^polls-0\.1\.0-py3-none-any\.whl$/);
    const members = execFileSync(python, ['-m', 'zipfile', '-l', join(work, 'wheelhouse', wheel!)], { encoding: 'utf8' });
    assert.match(members, /polls\/settings\/prod\.py/);
    assert.match(members, /polls-0\.1\.0\.data\/scripts\/manage\.py/);
    runTool(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--target', join(work, 'site'), join(work, 'wheelhouse', wheel!)], { env });
    const check = runTool(python, [join(work, 'site', 'bin', 'manage.py'), 'check'], { cwd: work, env: { ...env, PYTHONPATH: join(work, 'site'), DJANGO_SETTINGS_MODULE: 'polls.settings.dev' } });
    assert.match(check, /no issues/);
  } finally {
    rmSync(work, { recursive: true, force: true });
    source.cleanup();
  }
});

test.run();
