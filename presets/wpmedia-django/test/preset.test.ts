// The whole preset, checked by the tools that consume each file.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkCompose,
  checkDockerfile,
  checkDockerignore,
  checkPyproject,
  checkShellScript,
  checkSnapshot,
  checkUwsgiIni,
  copyOf,
  parseRequirementsFiles,
  python,
  renderTree,
  runPyrepo,
  runTool,
  startUwsgi,
  stopQuickly,
  type RunPyrepoResult,
  checkRuff,
  measureCoverage,
  ruffSettings,
} from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
const secretKey = 'a-test-only-secret-key-that-is-long-and-random-enough-0123456789';
const prodEnv = { DJANGO_SETTINGS_MODULE: 'blog.settings.prod', DJANGO_SECRET_KEY: secretKey, DJANGO_ALLOWED_HOSTS: '127.0.0.1,localhost', DATABASE_URL: 'sqlite://:memory:' };

let run: RunPyrepoResult;
test.before(async () => {
  run = await runPyrepo({ preset: 'wpmedia-django', values: { name: 'blog' } });
});
test.after(() => run?.cleanup());

const manage = (args: string[], env: Record<string, string> = {}) =>
  runTool(python, ['manage.py', ...args], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', ...env } });

/** A copy of the generated repository with its static files collected, by the production image's build step as the Dockerfile runs it. */
function collectedCopy(): { dir: string; cleanup(): void } {
  const copy = copyOf(run.dir);
  const build = run.read('docker/app/Dockerfile').match(/^RUN (DJANGO_SECRET_KEY=.* collectstatic .*)$/m)![1]!;
  runTool('sh', ['-c', build.replace(/\bpython\b/, python)], { cwd: copy.dir, env: { PATH: process.env.PATH, DJANGO_SETTINGS_MODULE: 'blog.settings.prod' } });
  return copy;
}

test('the files of the seed, and the snapshot of the whole repository', () => {
  const tree = run.files();
  assert.equal(Object.keys(tree), [
    '.dockerignore', '.env.example', '.gitignore', '.pyrepo-base.json', '.yo-rc.json', 'README.md', 'blog/__init__.py', 'blog/asgi.py', 'blog/health.py', 'blog/settings/__init__.py',
    'blog/settings/base.py', 'blog/settings/dev.py', 'blog/settings/prod.py', 'blog/urls.py', 'blog/views.py', 'blog/wsgi.py',
    'docker/app/Dockerfile', 'docker/app/dev.Dockerfile', 'docker/app/entrypoint.sh', 'docker-compose.yaml', 'manage.py',
    'pyproject.toml', 'requirements/base.txt', 'requirements/ci.txt', 'requirements/dev.txt', 'requirements/prod.txt',
    'tests/test_views.py', 'uwsgi.ini',
  ]);
  assert.ok(existsSync(join(run.dir, '.git')), 'git init ran at the end');
  for (const title of ['Virtual environment', 'Run locally', 'Run in Docker', 'Build for production', 'Dependencies', 'Tests and linters']) {
    assert.match(tree['README.md']!, new RegExp(`^## ${title}$`, 'm'));
  }
  const problem = checkSnapshot(snapshots, 'blog', renderTree(tree));
  assert.is(problem, undefined, problem);
});

test('requirements: pip parses every file, every -r resolves, Django in base, uWSGI and dj-database-url only in prod', () => {
  const parsed = parseRequirementsFiles(run.dir, ['requirements/dev.txt', 'requirements/prod.txt']);
  assert.equal(parsed['requirements/dev.txt'], ['Django==6.1.3', 'pytest==9.2.0', 'ruff==0.17.5', 'coverage==7.17.3', 'pytest-django==4.14.0']);
  assert.equal(parsed['requirements/prod.txt'], ['Django==6.1.3', 'dj-database-url==3.1.2', 'uWSGI==2.0.31']);
  const pyproject = checkPyproject(run.dir) as { tool: { pytest: { ini_options: Record<string, unknown> } } };
  assert.is(pyproject.tool.pytest.ini_options.DJANGO_SETTINGS_MODULE, 'blog.settings.dev');
});

test('containers: shellcheck, docker-compose config, the Dockerfile checks, .dockerignore', () => {
  assert.equal(checkShellScript(join(run.dir, 'docker/app/entrypoint.sh')), []);
  assert.equal(checkCompose(run.dir), []);
  assert.equal(checkDockerfile(run.read('docker/app/dev.Dockerfile')), []);
  assert.equal(checkDockerfile(run.read('docker/app/Dockerfile'), { production: true }), []);
  assert.equal(checkDockerignore(run.read('.dockerignore'), '.venv'), []);
  assert.match(run.read('docker/app/Dockerfile'), /DJANGO_SETTINGS_MODULE=blog\.settings\.prod/);
  assert.match(run.read('docker/app/dev.Dockerfile'), /DJANGO_SETTINGS_MODULE=blog\.settings\.dev/);
  assert.match(run.read('docker/app/entrypoint.sh'), /^if \[ "\$\{DJANGO_MIGRATE_ON_START:-true\}" != false \]; then\n    python manage\.py migrate --noinput\nfi\nexec "\$@"\n$/m);
});

test('the entrypoint migrates the database DATABASE_URL names, then runs the command; DJANGO_MIGRATE_ON_START=false skips the migration (the one-off command the README gives does it)', () => {
  const copy = copyOf(run.dir);
  const state = mkdtempSync(join(tmpdir(), 'pyrepo-state-'));
  try {
    // The image's python is its venv's; here Debian's, which has Django.
    symlinkSync(python, join(state, 'python'));
    const start = (database: string, extra: Record<string, string>) =>
      runTool('sh', ['docker/app/entrypoint.sh', 'echo', 'server started'], { cwd: copy.dir, env: { PATH: `${state}:${process.env.PATH}`, PYTHONDONTWRITEBYTECODE: '1', ...prodEnv, DATABASE_URL: `sqlite:///${join(state, database)}`, ...extra } });
    assert.match(start('skipped.sqlite3', { DJANGO_MIGRATE_ON_START: 'false' }), /^server started$/m);
    assert.not.ok(existsSync(join(state, 'skipped.sqlite3')), 'no migration with the switch off');
    const output = start('db.sqlite3', {});
    assert.match(output, /Applying auth\.0001_initial\.\.\. OK[\s\S]*server started/);
    assert.ok(existsSync(join(state, 'db.sqlite3')), 'migrated where DATABASE_URL says');
    const oneOff = run.read('README.md').match(/^docker run --rm -e DJANGO_MIGRATE_ON_START=false <the -e and -v options above> blog (.*)$/m);
    assert.ok(oneOff, 'the README gives the one-off migration');
    assert.is(oneOff![1], 'python manage.py migrate --noinput');
  } finally {
    rmSync(state, { recursive: true, force: true });
    copy.cleanup();
  }
});

test('Django (Debian\'s 3.2): check passes with the dev settings, check --deploy has no errors with prod, the tests pass, collectstatic builds', () => {
  assert.match(manage(['check']), /no issues/);
  const deploy = manage(['check', '--deploy', '--fail-level', 'ERROR'], prodEnv);
  assert.not.match(deploy, /ERRORS:/);
  const tests = runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } });
  assert.match(tests, /2 passed/);
  const collected = collectedCopy();
  try {
    assert.ok(existsSync(join(collected.dir, 'staticfiles', 'admin', 'css', 'base.css')));
  } finally {
    collected.cleanup();
  }
});

test('uWSGI (Debian\'s, as an unprivileged user) serves / from uwsgi.ini with HTTP 200 and the JSON, static files too, and stops within 10 s of SIGTERM', async () => {
  assert.equal(checkUwsgiIni(run.read('uwsgi.ini')), []);
  const collected = collectedCopy();
  try {
    const server = await startUwsgi(collected.dir, prodEnv);
    try {
      const response = await fetch(server.url, { headers: { 'X-Forwarded-Proto': 'https' }, redirect: 'manual' });
      assert.is(response.status, 200, server.output());
      assert.equal(await response.json(), { message: 'hello world' });
      assert.is((await fetch(`${server.url}static/admin/css/base.css`)).status, 200);
    } finally {
      await stopQuickly(server);
    }
  } finally {
    collected.cleanup();
  }
});

test('each generator added alone to a Django repository writes the same files as the preset', async () => {
  const alone = await runPyrepo({ generators: ['repo', 'requirements', 'django'], values: { name: 'blog', framework: 'django' } });
  try {
    await runPyrepo({ generators: ['docker-prod', 'uwsgi'], dir: alone.dir });
    await runPyrepo({ generators: ['docker-dev'], dir: alone.dir });
    for (const file of ['docker/app/Dockerfile', 'docker/app/entrypoint.sh', 'uwsgi.ini', 'docker/app/dev.Dockerfile', 'docker-compose.yaml', 'requirements/prod.txt']) {
      assert.is(alone.read(file), run.read(file), file);
    }
  } finally {
    alone.cleanup();
  }
});

// The seed's own snippets fail the same checks: the checks find its defects.
const seed = (file: string) => readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/seed-000/${file}`, import.meta.url)), 'utf8');

test('the seed\'s Dockerfiles fail the checks the generated ones pass', () => {
  const production = checkDockerfile(seed('Dockerfile'), { production: true }).join('\n');
  assert.match(production, /tini is used in ENTRYPOINT or CMD but never installed/);
  assert.match(production, /tini appears in both ENTRYPOINT and CMD/);
  assert.match(production, /legacy "ENV key value" form/);
  assert.match(production, /installs from an index in its final stage, where source archives \(uWSGI\) find no compiler/);
  assert.match(production, /ADD of local files/);
  const development = checkDockerfile(seed('dev.Dockerfile')).join('\n');
  assert.match(development, /python:3\.11-bullseye is Debian bullseye, past its end of life/);
  assert.match(development, /CMD in shell form/);
  assert.match(seed('Dockerfile'), /DJANGO_SETTINGS_MODULE=repository_name\.settings\.prod/, 'hard-coded settings module');
  assert.equal(checkDockerignore('', '.venv'), [
    '.dockerignore does not exclude git history',
    '.dockerignore does not exclude the virtual environment folder .venv',
    '.dockerignore does not exclude the virtual environment folder venv',
    '.dockerignore does not exclude the virtual environment folder env',
    '.dockerignore does not exclude .env files (secrets)',
    '.dockerignore does not exclude pip.conf (index credentials)',
    '.dockerignore does not exclude bytecode caches',
  ], 'the seed has no .dockerignore');
});

test('the seed\'s compose file publishes the port on every interface; the generated one on 127.0.0.1 only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pyrepo-seed-'));
  try {
    writeFileSync(join(dir, 'docker-compose.yaml'), seed('docker-compose.yaml'));
    assert.match(checkCompose(dir).join('\n'), /publishes 8000:8000\S* on every interface/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the seed\'s uwsgi.ini fails the checks the generated one passes', () => {
  const problems = checkUwsgiIni(seed('uwsgi.ini')).join('\n');
  assert.match(problems, /max-requests = \$\(UWSGI_MAX_REQUESTS\): reads \$\(UWSGI_MAX_REQUESTS\) with no default/);
  assert.match(problems, /processes = \$\(UWSGI_PROCESSES\)/);
  assert.match(problems, /harakiri = \$\(UWSGI_HARAKIRI\)/);
  assert.match(problems, /no die-on-term/);
  assert.match(problems, /use enable-proxy-protocol/);
  assert.match(problems, /no en_US\.UTF-8 locale/);
});

test('ruff check and ruff format --check pass on every Python file, with the ruff configuration the repository writes', () => {
  assert.ok(ruffSettings(run.dir), 'pyproject.toml configures ruff');
  const { files, problems } = checkRuff(run.dir);
  assert.ok(files.includes('blog/views.py'), `blog/views.py among the files ruff checked: ${files.join(' ')}`);
  assert.equal(problems, []);
});

test('coverage, with the configuration the repository writes, measures the application: the generated tests run under Debian\'s coverage and blog/views.py has data', () => {
  const { measured, warnings } = measureCoverage(run.dir);
  assert.equal(warnings, []);
  assert.ok(measured.includes('blog/views.py'), `blog/views.py among the measured files: ${measured.join(' ')}`);
  assert.ok(measured.every(file => !file.startsWith('tests/')), `only the application is measured: ${measured.join(' ')}`);
});

test.run();
