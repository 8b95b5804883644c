import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getWithHost, parseRequirementsFiles, python, runPyrepo, runTool, startUwsgi, stopQuickly, tempDir } from '@pyrepo/testing';

const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };

test('a Django project named after the package: check passes, its test passes, settings carry the options', async () => {
  const run = await runPyrepo({ generators: ['django'], values: { name: 'Shop-Front', framework: 'django', timeZone: 'Europe/Paris' } });
  try {
    const tree = run.files();
    for (const file of ['manage.py', 'shop_front/settings/base.py', 'shop_front/settings/dev.py', 'shop_front/settings/prod.py', 'shop_front/urls.py', 'shop_front/wsgi.py', 'shop_front/asgi.py']) {
      assert.ok(tree[file], file);
    }
    assert.match(tree['shop_front/settings/base.py']!, /TIME_ZONE = "Europe\/Paris"/);
    assert.match(runTool(python, ['manage.py', 'check'], { cwd: run.dir, env }), /no issues/);
    assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: run.dir, env }), /2 passed/);
    assert.equal(parseRequirementsFiles(run.dir, ['requirements/ci.txt'])['requirements/ci.txt'], ['Django==6.1.3', 'pytest-django==4.14.0']);
  } finally {
    run.cleanup();
  }
});

test('prod settings refuse to start without the secret key and hosts', async () => {
  const run = await runPyrepo({ generators: ['django'], values: { name: 'shop', framework: 'django' } });
  try {
    try {
      runTool(python, ['-c', 'import django; django.setup()'], { cwd: run.dir, env: { ...env, DJANGO_SETTINGS_MODULE: 'shop.settings.prod' } });
      throw new Error('started without DJANGO_SECRET_KEY');
    } catch (error) {
      assert.match((error as Error).message, /ImproperlyConfigured: Set the environment variable DJANGO_SECRET_KEY/);
    }
  } finally {
    run.cleanup();
  }
});

test('prod settings read the database from DATABASE_URL (dj-database-url, in the production requirements) and refuse to start without it, naming it; SQLite only where DATABASE_URL says', async () => {
  const run = await runPyrepo({ generators: ['django'], values: { name: 'shop', framework: 'django' } });
  const state = tempDir('pyrepo-state-');
  try {
    assert.equal(parseRequirementsFiles(run.dir, ['requirements/prod.txt'])['requirements/prod.txt'], ['Django==6.1.3', 'dj-database-url==3.1.2']);
    const prod = { ...env, DJANGO_SETTINGS_MODULE: 'shop.settings.prod', DJANGO_SECRET_KEY: 'a-test-only-secret-key-that-is-long-and-random-enough-0123456789', DJANGO_ALLOWED_HOSTS: 'localhost' };
    try {
      runTool(python, ['manage.py', 'migrate', '--noinput'], { cwd: run.dir, env: prod });
      assert.unreachable('migrated without DATABASE_URL');
    } catch (error) {
      assert.match((error as Error).message, /ImproperlyConfigured: Set the environment variable DATABASE_URL, e\.g\. DATABASE_URL=postgres:\/\/user:password@db\.example\.com:5432\/shop \(or, chosen explicitly, sqlite:\/\/\/\/var\/lib\/shop\/db\.sqlite3\)/);
    }
    assert.not.ok(existsSync(join(run.dir, 'db.sqlite3')), 'no database beside the source');
    const database = join(state, 'db.sqlite3');
    runTool(python, ['manage.py', 'migrate', '--noinput'], { cwd: run.dir, env: { ...prod, DATABASE_URL: `sqlite:///${database}` } });
    assert.ok(existsSync(database), 'the database is where DATABASE_URL says');
    assert.not.ok(existsSync(join(run.dir, 'db.sqlite3')), 'nothing written beside the source');
    const engine = runTool(python, ['-c', 'from django.conf import settings; d = settings.DATABASES["default"]; print(d["ENGINE"], d["HOST"], d["NAME"])'], { cwd: run.dir, env: { ...prod, DATABASE_URL: 'postgres://app:secret@db.internal:5432/shop' } });
    assert.match(engine, /^django\.db\.backends\.postgresql\S* db\.internal shop$/m);
  } finally {
    rmSync(state, { recursive: true, force: true });
    run.cleanup();
  }
});

test('/healthz answers 200 "ok" whatever the Host header and without the HTTPS redirect, with the prod settings: Django\'s test client and Debian\'s uWSGI', async () => {
  const run = await runPyrepo({ generators: ['django', 'uwsgi'], values: { name: 'shop', framework: 'django' } });
  try {
    const prod = { ...env, DJANGO_SETTINGS_MODULE: 'shop.settings.prod', DJANGO_SECRET_KEY: 'a-test-only-secret-key-that-is-long-and-random-enough-0123456789', DJANGO_ALLOWED_HOSTS: 'shop.example.com', DATABASE_URL: 'sqlite://:memory:' };
    // A probe names the pod's address over plain HTTP; the same request for / is refused (400) and a public one redirected (301).
    const client = [
      'import django',
      'django.setup()',
      'from django.test import Client',
      'for path, host in [("/healthz", "10.1.2.3:8000"), ("/", "10.1.2.3:8000"), ("/", "shop.example.com")]:',
      '    response = Client().get(path, HTTP_HOST=host)',
      '    print(path, host, response.status_code, response.content.decode() if path == "/healthz" else response.get("Location"))',
    ].join('\n');
    assert.equal(runTool(python, ['-c', client], { cwd: run.dir, env: prod }).trim().split('\n'), [
      '/healthz 10.1.2.3:8000 200 ok',
      '/ 10.1.2.3:8000 400 None',
      '/ shop.example.com 301 https://shop.example.com/',
    ]);
    const server = await startUwsgi(run.dir, prod);
    try {
      assert.equal(await getWithHost(`${server.url}healthz`, '10.1.2.3:8000'), { status: 200, location: undefined, body: 'ok' }, server.output());
      assert.is((await getWithHost(server.url, '10.1.2.3:8000')).status, 400);
      assert.is((await getWithHost(server.url, 'shop.example.com')).location, 'https://shop.example.com/');
    } finally {
      await stopQuickly(server);
    }
  } finally {
    run.cleanup();
  }
});

test('on Python 3.11 Django is pinned to the 5.2 LTS series (6.1 needs 3.12)', async () => {
  const run = await runPyrepo({ generators: ['django'], values: { name: 'shop', framework: 'django', python: '3.11' } });
  try {
    assert.match(run.read('requirements/base.txt'), /^Django~=5\.2\.0$/m);
  } finally {
    run.cleanup();
  }
});

test('a repository with its own Django project is left as it is', async () => {
  const own = '#!/usr/bin/env python\nimport os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "legacy.settings")\n';
  const run = await runPyrepo({ generators: ['django'], values: { name: 'legacy', framework: 'django' }, files: { 'manage.py': own } });
  try {
    assert.equal(Object.keys(run.files()).sort(), ['.yo-rc.json', 'manage.py']);
    assert.is(run.read('manage.py'), own);
    assert.match(run.log, /django: the repository has its own Django project \(manage\.py\); left as it is/);
  } finally {
    run.cleanup();
  }
});

test('a project whose framework is not Django is refused before anything is written', async () => {
  try {
    await runPyrepo({ generators: ['django'], values: { name: 'shop' } });
    assert.unreachable('accepted framework none');
  } catch (error) {
    assert.match((error as Error).message, /this project's framework is none/);
    assert.match((error as { problems: Array<{ fix: string }> }).problems[0]!.fix, /--framework django/);
  }
});

test.run();
