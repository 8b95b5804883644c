import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectProject, pin } from '../src/index.js';
import { scratch, write } from './fixtures.js';

const repo = (files: Record<string, string>) => {
  const dir = scratch('pyrepo-detect-');
  write(dir, files);
  return dir;
};

test('a Django repository: name and Python from pyproject.toml, package from manage.py, layered requirements, the venv', () => {
  const dir = repo({
    'pyproject.toml': '[project]\nname = "Ticket_AI"\nrequires-python = ">=3.11"\n',
    'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ticket_ai.settings.dev")\n',
    'requirements/base.txt': 'Django==5.2.8\n',
    'venv/pyvenv.cfg': 'home = /usr/bin\n',
  });
  assert.equal(detectProject(dir), { name: 'Ticket_AI', python: '3.11', framework: 'django', package: 'ticket_ai', layout: 'layered', venvDir: 'venv' });
});

test('a Flask repository: name from setup.py, Python from .python-version, framework from the requirements', () => {
  const dir = repo({
    'setup.py': 'from setuptools import setup\nsetup(\n  name="shop",\n  version="0.1",\n)\n',
    '.python-version': '3.13.1\n',
    'requirements-app.txt': '# app\nflask==3.1.3\n',
    'requirements.txt': 'Flask==3.1.3\nWerkzeug==3.1.3\n',
  });
  assert.equal(detectProject(dir), { name: 'shop', python: '3.13', layout: 'app-dev-frozen', framework: 'flask' });
});

test('a pyproject.toml whose dependencies name Flask is a Flask project; where production and development declare theirs is a fact', () => {
  const dir = repo({ 'pyproject.toml': '[project]\nname = "shop"\ndependencies = ["flask>=3"]\n[dependency-groups]\ndev = ["pytest"]\n' });
  assert.equal(detectProject(dir), { name: 'shop', framework: 'flask', prodRequirements: 'pyproject.toml', devRequirements: 'pyproject.toml' });
  const files = repo({ 'requirements/base.txt': 'Django\n', 'requirements/production.txt': '-r base.txt\n', 'requirements/local.txt': '-r base.txt\n' });
  assert.equal(detectProject(files), { layout: 'layered', framework: 'django', prodRequirements: 'requirements/production.txt', devRequirements: 'requirements/local.txt' });
});

test('nothing to detect, or an unreadable pyproject.toml, gives no facts', () => {
  assert.equal(detectProject(repo({})), {});
  assert.equal(detectProject(repo({ 'pyproject.toml': '[project\nname=' })), {});
});

test('pins come from the curated table; a Python the pin does not support gets the older series', () => {
  assert.is(pin('uwsgi'), 'uWSGI==2.0.31');
  assert.is(pin('django', '3.13'), 'Django==6.1.3');
  assert.is(pin('django', '3.11'), 'Django~=5.2.0');
  assert.is(pin('ruff', '3.10'), 'ruff==0.17.5');
});

test.run();
