// pypackage-docker: a Makefile, base/builder/release images, wheels.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDockerfile, checkRuff, checkShellScript, checkSnapshot, checkUwsgiIni, copyOf, measureCoverage, python, renderTree, ruffSettings, runPyrepo, runTool, tagRelease, tempDir, type RunPyrepoResult } from '@pyrepo/testing';

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
/** make -n that must fail as a usage error (exit 2): what it said. */
const makeFails = (args: string[], variables: Record<string, string> = {}) => {
  const result = spawnSync('make', ['-n', '--no-print-directory', ...args], { cwd: run.dir, env: { ...env, ...variables }, encoding: 'utf8' });
  assert.is(result.status, 2, `make ${args.join(' ')} exits 2: ${result.stdout}${result.stderr}`);
  return result.stderr;
};

test('make -n: every target expands to the docker commands, with the variables applied; release, run and manage need a release version', () => {
  const here = run.dir;
  const builder = `docker run --rm --user "$(id -u):$(id -g)" -e HOME=/tmp -v "${here}":/application -v "${here}/wheelhouse":/wheelhouse polls/polls-builder:latest`;
  assert.equal(make(['image', 'docker/base']), ['docker build --build-arg BASE_IMAGE=polls/polls-base:latest -t polls/polls-base:latest -f docker/base/Dockerfile docker/base']);
  assert.equal(make(['image', 'docker/builder'], { REPO_NS: 'acme', BASE_VERSION: '2' }), ['docker build --build-arg BASE_IMAGE=acme/polls-base:2 -t acme/polls-builder:2 -f docker/builder/Dockerfile docker/builder']);
  assert.equal(make(['build']), ['mkdir -p wheelhouse', builder]);
  // An extra's wheels come with the release's: uWSGI (the prod extra) stays in the wheelhouse.
  assert.equal(make(['build', 'test']), ['mkdir -p wheelhouse', `${builder} pip wheel --wheel-dir /wheelhouse .[prod,test]`]);
  assert.equal(make(['--', 'build', 'cmd', 'ls', '-l']), ['mkdir -p wheelhouse', `${builder} ls -l`]);
  // make alone lists the targets (and so does checkRepositories' make -n without a release).
  assert.match(runTool('make', ['--no-print-directory'], { cwd: here, env }), /^make release +the release image of the tagged checkout/m);
  // The generated folder is no git checkout: no release tag, so no release version.
  assert.match(makeFails(['release']), /make release: the checkout has no release tag; tag the commit \(git tag v1\.0\.0\)/);
  assert.match(makeFails(['image']), /make release: the checkout has no release tag/);
  assert.match(makeFails(['run']), /no release to run: the checkout has no release tag \(vX\.Y\.Z\); name one, e\.g\. REPO_VERSION=1\.0\.0/);
  const settings = { REPO_VERSION: '1.0.0', PORTS: '8000:8000 8443:443', VOLUMES: '/srv/static:/app/staticfiles', ENV_VARS: 'DJANGO_SECRET_KEY=s DJANGO_ALLOWED_HOSTS=example.com' };
  const flags = '-p 8000:8000 -p 8443:443 -v /srv/static:/app/staticfiles -e DJANGO_SECRET_KEY=s -e DJANGO_ALLOWED_HOSTS=example.com';
  assert.equal(make(['run', 'bash'], settings), [`docker run -it --rm ${flags} polls/polls:1.0.0 bash`]);
  assert.equal(make(['--', 'manage', 'collectstatic', '--noinput'], settings), [`docker run -it --rm ${flags} polls/polls:1.0.0 manage.py collectstatic --noinput`]);
  assert.equal(make(['run', 'bash'], { REPO_VERSION: '1.0.0', IMAGE_NAME: 'site' }), ['docker run -it --rm -p 127.0.0.1:8000:8000 polls/site:1.0.0 bash']);
});

test('images: base, builder and release pass the Dockerfile checks; the release installs wheels only', () => {
  assert.equal(checkDockerfile(run.read('docker/base/Dockerfile')), []);
  assert.equal(checkDockerfile(run.read('docker/builder/Dockerfile')), []);
  assert.equal(checkDockerfile(run.read('Dockerfile'), { production: true }), []);
  assert.match(run.read('Dockerfile'), /pip install --no-cache-dir --no-index --find-links \/wheelhouse "polls\[prod\]==\$\{VERSION:\?[^}]*\}"/);
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

test('the application builds as a wheel (the builder\'s pip wheel .), with manage.py as a script, checks out installed, and the README\'s migrate step works as written', () => {
  const work = tempDir('pyrepo-wheelhouse-');
  // Building writes build/ and *.egg-info into the source folder: a copy keeps the generated one as it was.
  const source = copyOf(run.dir);
  try {
    // The builder mounts the git checkout: the version is the tag's.
    tagRelease(source.dir, 'v1.0.0');
    runTool(python, ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--no-build-isolation', '--no-index', '--wheel-dir', join(work, 'wheelhouse'), '.'], { cwd: source.dir, env });
    const [wheel] = readdirSync(join(work, 'wheelhouse'));
    assert.match(wheel!, /^polls-1\.0\.0-py3-none-any\.whl$/);
    const members = execFileSync(python, ['-m', 'zipfile', '-l', join(work, 'wheelhouse', wheel!)], { encoding: 'utf8' });
    assert.match(members, /polls\/settings\/prod\.py/);
    assert.match(members, /polls-1\.0\.0\.data\/scripts\/manage\.py/);
    runTool(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--target', join(work, 'site'), join(work, 'wheelhouse', wheel!)], { env });
    const check = runTool(python, [join(work, 'site', 'bin', 'manage.py'), 'check'], { cwd: work, env: { ...env, PYTHONPATH: join(work, 'site'), DJANGO_SETTINGS_MODULE: 'polls.settings.dev' } });
    assert.match(check, /no issues/);

    // The README's migrate step, as written: its ENV_VARS and VOLUMES reach docker run, the volume
    // is the release image's state folder (the app user's), and the installed manage.py migrates
    // the database DATABASE_URL names there (the folder stands in for the volume).
    const readme = run.read('README.md');
    const exported = (name: string) => readme.match(new RegExp(`^export ${name}="([^"]*)"`, 'm'))?.[1];
    const envVars = exported('ENV_VARS')!;
    const volumes = exported('VOLUMES')!;
    assert.match(readme, /^make -- manage migrate /m);
    assert.is(volumes, 'polls-data:/var/lib/polls');
    assert.match(run.read('Dockerfile'), /^RUN install -d -o app -g app -m 0700 \/var\/lib\/polls\n(#.*\n)*VOLUME \/var\/lib\/polls$/m);
    const flags = `-v ${volumes} ${envVars.split(' ').map(variable => `-e ${variable}`).join(' ')}`;
    assert.equal(make(['--', 'manage', 'migrate'], { ENV_VARS: envVars, VOLUMES: volumes, REPO_VERSION: '1.0.0' }), [`docker run -it --rm -p 127.0.0.1:8000:8000 ${flags} polls/polls:1.0.0 manage.py migrate`]);
    const volume = join(work, 'volume');
    mkdirSync(volume);
    const settings = Object.fromEntries(envVars.split(' ').map(variable => variable.split(/=(.*)/s).slice(0, 2) as [string, string]));
    assert.match(settings.DATABASE_URL!, /^sqlite:\/\/\/\/var\/lib\/polls\//);
    const production = { ...env, PYTHONPATH: join(work, 'site'), DJANGO_SETTINGS_MODULE: 'polls.settings.prod', ...settings, DATABASE_URL: settings.DATABASE_URL!.replace('/var/lib/polls', volume) };
    assert.match(runTool(python, [join(work, 'site', 'bin', 'manage.py'), 'migrate'], { cwd: work, env: production }), /Applying auth\.0001_initial\.\.\. OK/);
    assert.ok(existsSync(join(volume, 'db.sqlite3')), 'the database is in the volume');
  } finally {
    rmSync(work, { recursive: true, force: true });
    source.cleanup();
  }
});

test('ruff check and ruff format --check pass on every Python file, with the ruff configuration the repository writes', () => {
  assert.ok(ruffSettings(run.dir), 'pyproject.toml configures ruff');
  const { files, problems } = checkRuff(run.dir);
  assert.ok(files.includes('polls/views.py'), `polls/views.py among the files ruff checked: ${files.join(' ')}`);
  assert.equal(problems, []);
});

test('coverage, with the configuration the repository writes, measures the application: the generated tests run under Debian\'s coverage and polls/views.py has data', () => {
  const { measured, warnings } = measureCoverage(run.dir);
  assert.equal(warnings, []);
  assert.ok(measured.includes('polls/views.py'), `polls/views.py among the measured files: ${measured.join(' ')}`);
  assert.ok(measured.every(file => !file.startsWith('tests/')), `only the application is measured: ${measured.join(' ')}`);
});

test.run();
