// `pyrepo add` into application repositories pyrepo did not write (issue 15): each fixture reproduces
// a shape met in real public repositories (../shared/corpus) with code of our own. What pyrepo writes
// must name only what the repository has, and run under the real tools (Debian's Django, Flask,
// uWSGI); a fact it cannot establish is an exit 2 naming what it looked at and the flag.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkUwsgiIni, folderState, python, removedLines, startUwsgi, stopQuickly, writeTree } from '@pyrepo/testing';
import { pyrepo, tempFolders } from './helpers/cli.js';

const folders = tempFolders('pyrepo-existing-');
test.after(folders.cleanup);

/** Each fixture repository's files, by folder, to check that pyrepo only added to them. */
const fixtures = new Map<string, Record<string, string>>();

/** A fixture repository in a fresh folder. */
function repository(files: Record<string, string>): string {
  const dir = folders.make();
  writeTree(dir, files);
  fixtures.set(dir, files);
  return dir;
}

const secret = 'a-test-only-secret-key-that-is-long-and-random-enough-0123456789';

/** A Django project in a package other than pyrepo's: one settings module, relative STATIC_URL, STATIC_ROOT next to manage.py. */
const djangoSingleSettings = {
  'manage.py': [
    '#!/usr/bin/env python',
    'import os',
    'import sys',
    '',
    'if __name__ == "__main__":',
    '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")',
    '    from django.core.management import execute_from_command_line',
    '    execute_from_command_line(sys.argv)',
    '',
  ].join('\n'),
  'mysite/__init__.py': '',
  'mysite/settings.py': [
    'import os',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    'SECRET_KEY = os.environ["SITE_SECRET"]',
    'DEBUG = False',
    'ALLOWED_HOSTS = ["127.0.0.1"]',
    'INSTALLED_APPS = ["django.contrib.staticfiles"]',
    'ROOT_URLCONF = "mysite.urls"',
    'WSGI_APPLICATION = "mysite.wsgi.application"',
    'DATABASES = {}',
    'STATIC_URL = "assets/"',
    'STATIC_ROOT = BASE_DIR / "collected"',
    '',
  ].join('\n'),
  'mysite/urls.py': ['from django.http import HttpResponse', 'from django.urls import path', '', 'urlpatterns = [path("", lambda request: HttpResponse("mysite says hello"))]', ''].join('\n'),
  'mysite/wsgi.py': ['import os', '', 'from django.core.wsgi import get_wsgi_application', '', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")', '', 'application = get_wsgi_application()', ''].join('\n'),
  'requirements.txt': 'Django>=3.2\n',
};

test('Django with one settings module (not <package>.settings.prod): uwsgi.ini names mysite.wsgi:application and STATIC_URL/STATIC_ROOT as the settings say; uWSGI serves / from it', async () => {
  const dir = repository(djangoSingleSettings);
  const result = pyrepo(['add', 'uwsgi', '--yes', '--install', 'system'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /wsgiApp=mysite\.wsgi:application {2}\(read from mysite\/settings\.py: WSGI_APPLICATION, defined in mysite\/wsgi\.py\)/);
  const ini = readFileSync(join(dir, 'uwsgi.ini'), 'utf8');
  assert.ok(ini.includes('\nmodule = mysite.wsgi:application\n'), ini);
  assert.ok(ini.includes('\nstatic-map = /assets=collected\n'), ini);
  assert.equal(checkUwsgiIni(ini), []);
  assert.equal(removedLines(dir, fixtures.get(dir)!), []);
  const server = await startUwsgi(dir, { SITE_SECRET: secret });
  try {
    const response = await fetch(server.url);
    assert.is(response.status, 200, server.output());
    assert.is(await response.text(), 'mysite says hello');
  } finally {
    await stopQuickly(server);
  }
});

test('Django settings as a package with base/production modules (config.django.*): production gets the production module, development manage.py\'s; check --deploy passes with the module the Dockerfile names', () => {
  const dir = repository({
    'manage.py': djangoSingleSettings['manage.py'].replace('mysite.settings', 'config.django.base'),
    'config/__init__.py': '',
    'config/django/__init__.py': '',
    'config/django/base.py': djangoSingleSettings['mysite/settings.py'].replace('.parent.parent', '.parent.parent.parent').replace('mysite.urls', 'config.urls').replace('mysite.wsgi', 'config.wsgi').replace('DEBUG = False', 'DEBUG = True'),
    'config/django/production.py': [
      'from .base import *  # noqa: F403',
      '',
      'DEBUG = False',
      'MIDDLEWARE = [',
      '    "django.middleware.security.SecurityMiddleware",',
      '    "django.middleware.csrf.CsrfViewMiddleware",',
      '    "django.middleware.clickjacking.XFrameOptionsMiddleware",',
      ']',
      'SECURE_SSL_REDIRECT = True',
      'SECURE_HSTS_SECONDS = 31536000',
      'SECURE_HSTS_INCLUDE_SUBDOMAINS = True',
      'SECURE_HSTS_PRELOAD = True',
      'SESSION_COOKIE_SECURE = True',
      'CSRF_COOKIE_SECURE = True',
      '',
    ].join('\n'),
    'config/urls.py': djangoSingleSettings['mysite/urls.py'],
    'config/wsgi.py': djangoSingleSettings['mysite/wsgi.py'].replace('mysite.settings', 'config.django.base'),
    // The image runs uWSGI, so what it installs names it.
    'requirements.txt': 'Django>=3.2\nuWSGI\n',
  });
  const result = pyrepo(['add', 'docker-prod', '--yes', '--skip-install'], dir);
  assert.is(result.code, 0, result.stderr);
  const dockerfile = readFileSync(join(dir, 'docker', 'app', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /DJANGO_SETTINGS_MODULE=config\.django\.production/);
  assert.match(dockerfile, /collectstatic/);
  assert.equal(removedLines(dir, fixtures.get(dir)!), []);
  const check = spawnSync(python, ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING', '--settings', 'config.django.production'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, SITE_SECRET: secret } });
  assert.is(check.status, 0, check.stderr + check.stdout);
});

test('Django in a src/ layout (manage.py under src/): the commands run src/manage.py and uWSGI imports from src/', async () => {
  const files = Object.fromEntries(Object.entries(djangoSingleSettings).map(([path, text]) => [path === 'requirements.txt' ? path : `src/${path}`, text]));
  const dir = repository(files);
  // uWSGI from pip, the one the image installs (its requirements get the pin).
  const result = pyrepo(['add', 'uwsgi', 'docker-prod', '--yes', '--skip-install'], dir);
  assert.is(result.code, 0, result.stderr);
  const ini = readFileSync(join(dir, 'uwsgi.ini'), 'utf8');
  assert.ok(ini.includes('\npythonpath = %dsrc\n'), ini);
  assert.ok(ini.includes('\nstatic-map = /assets=src/collected\n'), ini);
  assert.match(readFileSync(join(dir, 'docker', 'app', 'Dockerfile'), 'utf8'), /python src\/manage\.py collectstatic --noinput/);
  const server = await startUwsgi(dir, { SITE_SECRET: secret });
  try {
    assert.is(await (await fetch(server.url)).text(), 'mysite says hello', server.output());
  } finally {
    await stopQuickly(server);
  }
});

const flaskFactory = {
  'shop/__init__.py': [
    'from flask import Flask',
    '',
    '',
    'def create_app():',
    '    app = Flask(__name__)',
    '',
    '    @app.route("/")',
    '    def index():',
    '        return "shop from a factory"',
    '',
    '    return app',
    '',
  ].join('\n'),
  'requirements.txt': 'Flask>=2.2\n',
};

test('Flask application factory with a wsgi.py (app = create_app()): uWSGI loads wsgi:app', async () => {
  const dir = repository({ ...flaskFactory, 'wsgi.py': 'from shop import create_app\n\napp = create_app()\n' });
  const result = pyrepo(['add', 'uwsgi', '--yes', '--install', 'system'], dir);
  assert.is(result.code, 0, result.stderr);
  const ini = readFileSync(join(dir, 'uwsgi.ini'), 'utf8');
  assert.ok(ini.includes('\nmodule = wsgi:app\n'), ini);
  assert.equal(removedLines(dir, fixtures.get(dir)!), []);
  const server = await startUwsgi(dir);
  try {
    assert.is(await (await fetch(server.url)).text(), 'shop from a factory', server.output());
  } finally {
    await stopQuickly(server);
  }
});

test('Flask application factory alone (no module-level app): uWSGI calls the factory, shop:create_app()', async () => {
  const dir = repository(flaskFactory);
  const result = pyrepo(['add', 'uwsgi', '--yes', '--install', 'system'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.equal(removedLines(dir, fixtures.get(dir)!), []);
  const ini = readFileSync(join(dir, 'uwsgi.ini'), 'utf8');
  assert.ok(ini.includes('\nmodule = shop:create_app()\n'), ini);
  const server = await startUwsgi(dir);
  try {
    assert.is(await (await fetch(server.url)).text(), 'shop from a factory', server.output());
  } finally {
    await stopQuickly(server);
  }
});

test('Flask declared only in pyproject.toml [project].dependencies, one module app.py: framework flask, app:app', () => {
  const dir = repository({
    'pyproject.toml': '[project]\nname = "camera"\nversion = "1.0"\ndependencies = ["flask>=2"]\n',
    'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return "camera"\n\n\nif __name__ == "__main__":\n    app.run()\n',
  });
  const result = pyrepo(['inspect', '--json'], dir);
  assert.is(result.code, 0, result.stderr);
  const model = JSON.parse(result.stdout) as { facts: Record<string, { value: unknown; from: string }> };
  assert.is(model.facts.framework?.value, 'flask');
  assert.is(model.facts.wsgiApp?.value, 'app:app');
  assert.is(model.facts.wsgiApp?.from, 'app.py: app = Flask(...)');
});

test('FastAPI in app/main.py (app = get_application()), no src/: the production command serves app.main:app with uvicorn from the root', () => {
  const dir = repository({
    'requirements.txt': 'fastapi\nuvicorn\n',
    'app/__init__.py': '',
    'app/main.py': 'from fastapi import FastAPI\n\n\ndef get_application() -> FastAPI:\n    application = FastAPI()\n    return application\n\n\napp = get_application()\n',
  });
  const result = pyrepo(['add', 'docker-prod', '--yes', '--skip-install'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.equal(removedLines(dir, fixtures.get(dir)!), []);
  const dockerfile = readFileSync(join(dir, 'docker', 'app', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /CMD \["python", "-m", "uvicorn", "app\.main:app"\]/);
  assert.not.match(dockerfile, /--app-dir|src/);
});

test('no application to be found: exit 2 naming what was looked at and --wsgi-app; nothing written', () => {
  const dir = repository({ 'requirements.txt': 'Flask>=2.2\n', 'tool.py': 'print("not an app")\n' });
  const before = folderState(dir);
  const result = pyrepo(['add', 'uwsgi', '--yes'], dir);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /WSGI application/);
  assert.match(result.stderr, /looked at app\.py, wsgi\.py/);
  assert.match(result.stderr, /--wsgi-app/);
  assert.equal(folderState(dir), before);
  const given = pyrepo(['add', 'uwsgi', '--yes', '--wsgi-app', 'tool:app'], dir);
  assert.is(given.code, 0, given.stderr);
  assert.ok(readFileSync(join(dir, 'uwsgi.ini'), 'utf8').includes('\nmodule = tool:app\n'));
});

test('a Django manage.py naming a settings module that is not there: exit 2 naming it and --settings-module', () => {
  const dir = repository({ 'manage.py': djangoSingleSettings['manage.py'], 'requirements.txt': 'Django\n' });
  const result = pyrepo(['add', 'uwsgi', '--yes'], dir);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /manage\.py, which names mysite\.settings, not a module under \./);
  assert.match(result.stderr, /--settings-module/);
  assert.match(result.stderr, /--wsgi-app/);
});

test.run();
