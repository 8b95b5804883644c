import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspectProject, modelValues, pin } from '../src/index.js';
import { scratch, write } from './fixtures.js';

const repo = (files: Record<string, string>) => {
  const dir = scratch('pyrepo-detect-');
  write(dir, files);
  return dir;
};

test('a Django repository: name and Python from pyproject.toml, package from manage.py, layered requirements, the venv', async () => {
  const dir = repo({
    'pyproject.toml': '[project]\nname = "Ticket_AI"\nrequires-python = ">=3.11"\n',
    'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ticket_ai.settings.dev")\n',
    'requirements/base.txt': 'Django==5.2.8\n',
    'venv/pyvenv.cfg': 'home = /usr/bin\n',
  });
  const model = await inspectProject(dir);
  assert.equal(modelValues(model), { name: 'Ticket_AI', python: '3.11', layout: 'layered', framework: 'django', sourceRoot: '.', package: 'ticket_ai', venvDir: 'venv' });
  assert.is(model.facts.package?.from, 'manage.py: DJANGO_SETTINGS_MODULE ticket_ai.settings.dev');
  // The settings module manage.py names is not in the repository: the facts that depend on it are not guessed.
  assert.equal(Object.keys(model.lookedAt).sort(), ['devSettingsModule', 'settingsModule', 'staticRoot', 'staticUrl', 'wsgiApp']);
  assert.is(model.lookedAt.wsgiApp, 'manage.py, which names ticket_ai.settings.dev, not a module under .');
});

test('a Flask repository: name from setup.py, Python from .python-version, framework from the requirements', async () => {
  const dir = repo({
    'setup.py': 'from setuptools import setup\nsetup(\n  name="shop",\n  version="0.1",\n)\n',
    '.python-version': '3.13.1\n',
    'requirements-app.txt': '# app\nflask==3.1.3\n',
    'requirements.txt': 'Flask==3.1.3\nWerkzeug==3.1.3\n',
  });
  const model = await inspectProject(dir);
  assert.equal(modelValues(model), { name: 'shop', python: '3.13', layout: 'app-dev-frozen', framework: 'flask' });
  assert.match(model.lookedAt.wsgiApp!, /^app\.py, wsgi\.py/);
});

test('a pyproject.toml whose dependencies name Flask is a Flask project; where production and development declare theirs is a fact', async () => {
  const dir = repo({ 'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["flask>=3"]\n[dependency-groups]\ndev = ["pytest"]\n' });
  assert.equal(modelValues(await inspectProject(dir)), { name: 'shop', framework: 'flask', prodRequirements: 'pyproject.toml', devRequirements: 'pyproject.toml' });
  const files = repo({ 'requirements/base.txt': 'Django\n', 'requirements/production.txt': '-r base.txt\n', 'requirements/local.txt': '-r base.txt\n' });
  assert.equal(modelValues(await inspectProject(files)), { framework: 'django', prodRequirements: 'requirements/production.txt', devRequirements: 'requirements/local.txt' });
});

test('where the repository keeps things: build backend, README and compose file under their names, the file each tool reads, test folders', async () => {
  const model = await inspectProject(
    repo({
      'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "svc"\nversion = "1"\n',
      'readme.md': '# svc\n',
      'docker-compose.yml': 'services: {}\n',
      'pytest.ini': '[pytest]\naddopts = -q\n',
      '.coveragerc': '[run]\nbranch = True\n',
      'test/test_svc.py': 'def test_it():\n    pass\n',
    }),
  );
  assert.equal(
    Object.fromEntries(Object.entries(model.files).map(([key, fact]) => [key, fact.value])),
    { buildBackend: 'hatchling.build', projectTable: 'pyproject.toml', readme: 'readme.md', compose: 'docker-compose.yml', pytestConfig: 'pytest.ini', coverageConfig: '.coveragerc', testFolders: ['test'] },
  );
});

test('nothing to detect, or an unreadable pyproject.toml, gives no facts', async () => {
  assert.equal((await inspectProject(repo({}))).facts, {});
  assert.equal((await inspectProject(repo({ 'pyproject.toml': '[project\nname=' }))).facts, {});
});

const manage = (settings: string) => `import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settings}")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n`;
const wsgi = (settings: string) => `import os\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settings}")\napplication = get_wsgi_application()\n`;

test('Django settings package with base/production/local modules: production and development modules, WSGI from the settings, STATIC_ROOT through a BASE_DIR imported from another module', async () => {
  const model = await inspectProject(
    repo({
      'manage.py': manage('config.settings.base'),
      'config/__init__.py': '',
      'config/env.py': 'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n',
      'config/settings/__init__.py': '',
      'config/settings/base.py': 'from config.env import BASE_DIR\n\nWSGI_APPLICATION = "config.wsgi.application"\nSTATIC_URL = "/static/"\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n',
      'config/settings/production.py': 'from .base import *  # noqa\n\nDEBUG = False\n',
      'config/settings/local.py': 'from .base import *  # noqa\n\nDEBUG = True\n',
      'config/wsgi.py': wsgi('config.settings.base'),
    }),
  );
  assert.equal(modelValues(model), {
    framework: 'django',
    sourceRoot: '.',
    package: 'config',
    devSettingsModule: 'config.settings.local',
    wsgiApp: 'config.wsgi:application',
    settingsModule: 'config.settings.production',
    staticUrl: '/static/',
    staticRoot: 'staticfiles',
  });
  assert.is(model.facts.settingsModule?.from, 'config/settings/production.py (the production module of config.settings)');
  assert.is(model.facts.staticRoot?.from, 'config/settings/base.py: STATIC_ROOT');
  assert.equal(model.lookedAt, {});
});

test('Django with manage.py in a folder below the root and one settings module: that folder is the source root; an absolute STATIC_URL is not a path of the site', async () => {
  const model = await inspectProject(
    repo({
      'site/manage.py': manage('mysite.settings'),
      'site/mysite/__init__.py': '',
      'site/mysite/settings.py': 'import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nWSGI_APPLICATION = "mysite.wsgi.application"\nSTATIC_URL = "https://cdn.example.com/static/"\nSTATIC_ROOT = os.path.join(BASE_DIR, "static")\n',
      'site/mysite/wsgi.py': wsgi('mysite.settings'),
    }),
  );
  assert.is(model.facts.sourceRoot?.value, 'site');
  assert.is(model.facts.settingsModule?.value, 'mysite.settings');
  assert.is(model.facts.settingsModule?.from, 'the WSGI module: DJANGO_SETTINGS_MODULE');
  assert.is(model.facts.devSettingsModule?.value, 'mysite.settings');
  assert.is(model.facts.staticRoot?.value, 'site/static');
  assert.is(model.facts.staticUrl, undefined);
  assert.match(model.lookedAt.staticUrl!, /"https:\/\/cdn\.example\.com\/static\/", not a path of this site/);
});

test('a Flask project whose manage.py is a click group is not Django; its wsgi.py app made by a factory of its package is the WSGI application', async () => {
  const model = await inspectProject(
    repo({
      'manage.py': 'from flask.cli import FlaskGroup\n\nfrom shop import create_app\n\ncli = FlaskGroup(create_app=create_app)\n',
      'shop/__init__.py': 'from flask import Flask\n\n\ndef create_app(config="shop.config"):\n    return Flask(__name__)\n',
      'wsgi.py': 'from shop import create_app\n\napp = create_app()\n',
    }),
  );
  assert.equal(modelValues(model), { framework: 'flask', wsgiApp: 'wsgi:app' });
  assert.is(model.facts.framework?.from, 'wsgi.py imports flask');
});

test('the application a repository names itself: .flaskenv FLASK_APP, a Procfile web process; a name whose module is not there is not taken', async () => {
  const factory = 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n';
  const flaskenv = await inspectProject(repo({ 'requirements.txt': 'flask\n', '.flaskenv': 'FLASK_APP="portal:create_app()"\nFLASK_DEBUG=1\n', 'portal/__init__.py': factory, 'wsgi.py': 'from portal import create_app\n\napp = create_app()\n' }));
  assert.is(flaskenv.facts.wsgiApp?.value, 'portal:create_app()');
  assert.is(flaskenv.facts.wsgiApp?.from, '.flaskenv: FLASK_APP (portal:create_app())');
  const procfile = await inspectProject(repo({ 'requirements.txt': 'flask\ngunicorn\n', 'Procfile': "release: flask db upgrade\nweb: gunicorn --bind 0.0.0.0:$PORT 'portal:create_app()'\n", 'portal/__init__.py': factory }));
  assert.is(procfile.facts.wsgiApp?.value, 'portal:create_app()');
  assert.is(procfile.facts.wsgiApp?.from, 'Procfile: web (portal:create_app())');
  const missing = await inspectProject(repo({ 'requirements.txt': 'flask\n', 'Procfile': 'web: gunicorn gone:app\n', 'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n' }));
  assert.is(missing.facts.wsgiApp?.value, 'app:app', 'gone.py does not exist: the application is looked for in the code');
});

test('FastAPI: an application module in a package (app/main.py), a factory alone under src/ is named with ()', async () => {
  const module = await inspectProject(repo({ 'app/__init__.py': '', 'app/main.py': 'from fastapi import FastAPI\n\n\ndef get_application() -> FastAPI:\n    return FastAPI()\n\n\napp = get_application()\n' }));
  assert.equal(modelValues(module), { framework: 'fastapi', asgiApp: 'app.main:app' });
  const factory = await inspectProject(repo({ 'src/api/__init__.py': '', 'src/api/app.py': 'from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    return FastAPI()\n' }));
  assert.equal(modelValues(factory), { framework: 'fastapi', asgiApp: 'api.app:create_app()', sourceRoot: 'src' });
});

test('Python that does not parse is not trusted: no fact comes from it', async () => {
  const model = await inspectProject(repo({ 'requirements.txt': 'flask\n', 'app.py': 'from flask import Flask\napp = Flask(__name__\ndef broken(:\n' }));
  assert.equal(modelValues(model), { prodRequirements: 'requirements.txt', framework: 'flask' });
  assert.match(model.lookedAt.wsgiApp!, /^app\.py, wsgi\.py/);
});

test('pins come from the curated table; a Python the pin does not support gets the older series', () => {
  assert.is(pin('uwsgi'), 'uWSGI==2.0.31');
  assert.is(pin('django', '3.13'), 'Django==6.1.3');
  assert.is(pin('django', '3.11'), 'Django~=5.2.0');
  assert.is(pin('ruff', '3.10'), 'ruff==0.17.5');
});

test.run();
