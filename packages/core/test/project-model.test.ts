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
  assert.match(model.lookedAt.devSettingsModule!, /manage\.py names ticket_ai\.settings\.dev, which is not a module under \./);
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

test('nothing to detect, or an unreadable pyproject.toml, gives no facts', async () => {
  assert.equal((await inspectProject(repo({}))).facts, {});
  assert.equal((await inspectProject(repo({ 'pyproject.toml': '[project\nname=' }))).facts, {});
});

test('pins come from the curated table; a Python the pin does not support gets the older series', () => {
  assert.is(pin('uwsgi'), 'uWSGI==2.0.31');
  assert.is(pin('django', '3.13'), 'Django==6.1.3');
  assert.is(pin('django', '3.11'), 'Django~=5.2.0');
  assert.is(pin('ruff', '3.10'), 'ruff==0.17.5');
});

test.run();
