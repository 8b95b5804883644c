// readPythonModule on the shapes real Django, Flask and FastAPI repositories have (written here,
// after the corpus's applications: none of their code is copied).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PythonSourceLimitError, maxPythonSourceLength, readPythonModule, type PythonModule, type PythonValue } from '../src/index.js';
import { scratch, write } from './fixtures.js';

const values = (module: PythonModule, ...names: string[]): Record<string, PythonValue | undefined> => Object.fromEntries(names.map(name => [name, module.assignments.get(name)]));
const path = (base: string, ...parts: string[]): PythonValue => ({ kind: 'path', base, parts });
const fileDir = (up: number, ...parts: string[]): PythonValue => ({ kind: 'file-dir', up, parts });
const string = (value: string): PythonValue => ({ kind: 'string', value });

test('Django settings: BASE_DIR from __file__ in each way settings write it', async () => {
  const module = await readPythonModule(`"""Settings."""
import os
import os.path as osp
from os.path import abspath, dirname
from pathlib import Path
import environ

BASE_DIR = Path(__file__).resolve().parent.parent
STRICT_DIR = Path(__file__).resolve(strict=True).parent.parent.parent
PARENTS_DIR = Path(__file__).parents[1]
OS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALIASED_DIR = osp.dirname(osp.abspath(__file__))
IMPORTED_DIR = dirname(dirname(abspath(__file__)))
ENVIRON_DIR = environ.Path(__file__) - 2
PROJECT_DIR = Path(__file__).parent / "project"
`);
  assert.equal(values(module, 'BASE_DIR', 'STRICT_DIR', 'PARENTS_DIR', 'OS_DIR', 'ALIASED_DIR', 'IMPORTED_DIR', 'ENVIRON_DIR', 'PROJECT_DIR'), {
    BASE_DIR: fileDir(1),
    STRICT_DIR: fileDir(2),
    PARENTS_DIR: fileDir(1),
    OS_DIR: fileDir(1),
    ALIASED_DIR: fileDir(0),
    IMPORTED_DIR: fileDir(1),
    ENVIRON_DIR: fileDir(1),
    PROJECT_DIR: fileDir(0, 'project'),
  });
  assert.is(module.hasErrors, false);
});

test('Django settings: STATIC_URL and STATIC_ROOT as strings, paths from BASE_DIR, and environment lookups', async () => {
  const module = await readPythonModule(`import os
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = os.path.join(BASE_DIR, "media", "uploads")
TEMPLATES_DIR = Path(BASE_DIR, "templates")
LOCALE_DIR = BASE_DIR.joinpath("locale", "po")
DATA_DIR = (BASE_DIR.parent / "data") / "files"
ENV_STATIC_ROOT = os.environ.get("STATIC_ROOT", "/srv/static")
ENV_MEDIA_URL = os.getenv("MEDIA_URL")
ENV_SUBSCRIPT = os.environ["STATIC_URL"]
PREFIXED_URL = f"/{os.environ['PREFIX']}static/"
PLAIN_F_URL = f"/assets/"
JOINED_URL = "/sta" "tic/" + "v2/"
STATIC_URL = "/static/"
`);
  assert.equal(values(module, 'STATIC_URL', 'STATIC_ROOT', 'MEDIA_ROOT', 'TEMPLATES_DIR', 'LOCALE_DIR', 'DATA_DIR', 'ENV_STATIC_ROOT', 'ENV_MEDIA_URL', 'ENV_SUBSCRIPT', 'PREFIXED_URL', 'PLAIN_F_URL', 'JOINED_URL'), {
    STATIC_URL: string('/static/'), // the last assignment wins
    STATIC_ROOT: path('BASE_DIR', 'staticfiles'),
    MEDIA_ROOT: path('BASE_DIR', 'media', 'uploads'),
    TEMPLATES_DIR: path('BASE_DIR', 'templates'),
    LOCALE_DIR: path('BASE_DIR', 'locale', 'po'),
    DATA_DIR: path('BASE_DIR', '..', 'data', 'files'),
    ENV_STATIC_ROOT: { kind: 'environment', variable: 'STATIC_ROOT', fallback: { kind: 'string', value: '/srv/static' } },
    ENV_MEDIA_URL: { kind: 'dynamic', source: 'os.getenv("MEDIA_URL")' },
    ENV_SUBSCRIPT: { kind: 'dynamic', source: 'os.environ["STATIC_URL"]' },
    PREFIXED_URL: { kind: 'dynamic', source: `f"/{os.environ['PREFIX']}static/"` },
    PLAIN_F_URL: string('/assets/'),
    JOINED_URL: string('/static/v2/'),
  });
});

test('literals: numbers, booleans, None, lists and tuples, escapes, raw and bytes strings, annotated and chained assignments, +=', async () => {
  const module = await readPythonModule(String.raw`DEBUG = False
SITE_ID = 1
TIMEOUT = -2.5
MAX = 0x1_0
EMPTY = None
ALLOWED_HOSTS = ["localhost", "127.0.0.1", *EXTRA]
ADMINS = (("Ops", "ops@example.com"),)
ESCAPED = "tab\there\x41\u00e9\\"
RAW = r"^\d+$"
BYTES = b"key"
PORT: int = 8000
DECLARED: str
A = B = "same"
INSTALLED_APPS = ["django.contrib.admin"]
INSTALLED_APPS += ["blog"]
COUNT = 1
COUNT += 1
`);
  assert.equal(values(module, 'DEBUG', 'SITE_ID', 'TIMEOUT', 'MAX', 'EMPTY', 'ALLOWED_HOSTS', 'ADMINS', 'ESCAPED', 'RAW', 'BYTES', 'PORT', 'DECLARED', 'A', 'B', 'INSTALLED_APPS', 'COUNT'), {
    DEBUG: { kind: 'bool', value: false },
    SITE_ID: { kind: 'number', value: 1 },
    TIMEOUT: { kind: 'number', value: -2.5 },
    MAX: { kind: 'number', value: 16 },
    EMPTY: { kind: 'none' },
    ALLOWED_HOSTS: { kind: 'list', items: [string('localhost'), string('127.0.0.1'), { kind: 'dynamic', source: '*EXTRA' }] },
    ADMINS: { kind: 'list', items: [{ kind: 'list', items: [string('Ops'), string('ops@example.com')] }] },
    ESCAPED: string('tab\there\x41\u00e9\\'),
    RAW: string('^\\d+$'),
    BYTES: { kind: 'dynamic', source: 'b"key"' },
    PORT: { kind: 'number', value: 8000 },
    DECLARED: undefined,
    A: string('same'),
    B: string('same'),
    INSTALLED_APPS: { kind: 'list', items: [string('django.contrib.admin'), string('blog')] },
    COUNT: { kind: 'dynamic', source: 'COUNT += 1' },
  });
});

test('a settings module that star-imports a base (in a try block too), with its imports in order', async () => {
  const module = await readPythonModule(`from .base import *  # noqa
from ..common.settings import *
from config.settings.celery import *
from . import checks
from django.core.exceptions import ImproperlyConfigured as Improper, DisallowedHost
import logging, sentry_sdk.integrations.django as sentry_django

try:
    from .local import *
except ImportError:
    pass

DEBUG = False
STATIC_ROOT = BASE_DIR / "static_collected"

def helper():
    from .hidden import *
    HIDDEN = 1
`);
  assert.equal(module.starImports, [
    { module: '.base', level: 1 },
    { module: '..common.settings', level: 2 },
    { module: 'config.settings.celery', level: 0 },
    { module: '.local', level: 1 },
  ]);
  assert.equal(module.imports, [
    { module: '.base', names: ['*'], level: 1 },
    { module: '..common.settings', names: ['*'], level: 2 },
    { module: 'config.settings.celery', names: ['*'], level: 0 },
    { module: '.', names: ['checks'], level: 1 },
    { module: 'django.core.exceptions', names: ['ImproperlyConfigured', 'DisallowedHost'], level: 0 },
    { module: 'logging', names: [], level: 0 },
    { module: 'sentry_sdk.integrations.django', names: [], level: 0 },
    { module: '.local', names: ['*'], level: 1 },
  ]);
  assert.equal([...module.assignments.keys()], ['DEBUG', 'STATIC_ROOT']);
  assert.equal(module.assignments.get('STATIC_ROOT'), path('BASE_DIR', 'static_collected'));
  assert.equal(module.functions, [{ name: 'helper', requiredParameters: 0 }]);
});

test('manage.py and wsgi.py: os.environ.setdefault and environ.setdefault, the main guard, the WSGI application', async () => {
  const manage = await readPythonModule(`#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.development")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`);
  assert.equal(Object.fromEntries(manage.environmentDefaults), { DJANGO_SETTINGS_MODULE: 'shop.settings.development' });
  assert.is(manage.mainGuard, true);
  assert.equal(manage.functions, [{ name: 'main', requiredParameters: 0 }]);

  const wsgi = await readPythonModule(`from os import environ
from django.core.wsgi import get_wsgi_application

environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings.' 'production')
environ.setdefault("DJANGO_CONFIGURATION", CONFIGURATION)
os.environ["OTHER"] = "set, not a default"
application = get_wsgi_application()
`);
  assert.equal(Object.fromEntries(wsgi.environmentDefaults), { DJANGO_SETTINGS_MODULE: 'shop.settings.production' });
  assert.is(wsgi.mainGuard, false);
  assert.equal(wsgi.assignments.get('application'), { kind: 'call', callee: 'get_wsgi_application', arguments: [], imported: 'django.core.wsgi.get_wsgi_application' });

  // An environ that is not os's sets no default.
  const other = await readPythonModule(`import environ\nenviron.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")\nif __name__ != "__main__":\n    pass\n`);
  assert.equal(other.environmentDefaults.size, 0);
  assert.is(other.mainGuard, false);
});

test('Flask: a module-level app, a factory in a package __init__, and a wsgi.py that calls it', async () => {
  const single = await readPythonModule(`from flask import Flask, render_template
app = Flask(__name__, static_folder="assets")

@app.route("/")
def index():
    return render_template("index.html")

def gen(camera):
    yield camera.get_frame()

if '__main__' == __name__:
    app.run(host="0.0.0.0", threaded=True)
`);
  assert.equal(single.assignments.get('app'), { kind: 'call', callee: 'Flask', arguments: ['__name__', 'static_folder="assets"'], imported: 'flask.Flask' });
  assert.equal(single.functions, [
    { name: 'index', requiredParameters: 0 },
    { name: 'gen', requiredParameters: 1 },
  ]);
  assert.is(single.mainGuard, true);

  const factory = await readPythonModule(`import os
from flask import Flask
from .models import db

__version__ = "2.1.0"

def create_app(config="shop.config.Config", *extensions, **overrides):
    app = Flask(__name__)
    app.config.from_object(config)
    return app
`);
  assert.equal(factory.functions, [{ name: 'create_app', requiredParameters: 0 }]);
  assert.equal([...factory.assignments], [['__version__', string('2.1.0')]], 'the factory\'s own app is not module level');

  const wsgi = await readPythonModule(`from gevent import monkey
monkey.patch_all()
from shop import create_app
app = create_app()
if __name__ == "__main__":
    app.run(debug=True, threaded=True, host="127.0.0.1", port=4000)
`);
  assert.equal(wsgi.assignments.get('app'), { kind: 'call', callee: 'create_app', arguments: [], imported: 'shop.create_app' });
  assert.equal(wsgi.imports, [
    { module: 'gevent', names: ['monkey'], level: 0 },
    { module: 'shop', names: ['create_app'], level: 0 },
  ]);
  assert.is(wsgi.mainGuard, true);
});

test('FastAPI: an application from a factory, an annotated app, an async main and required parameters', async () => {
  const module = await readPythonModule(`from fastapi import FastAPI
from app.core.config import get_app_settings
from .factory import make_app as build_app
import fastapi

def get_application() -> FastAPI:
    settings = get_app_settings()
    return FastAPI(**settings.fastapi_kwargs)

app = get_application()
api: FastAPI = FastAPI(title="API", docs_url=None)
dotted = factories.build.make_app(settings, debug=True)
relative = build_app()
qualified = fastapi.FastAPI()

async def main(host: str, port: int = 8000, /, *, reload: bool, workers=1) -> None:
    ...

@router.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id}
`);
  assert.equal(values(module, 'app', 'api', 'dotted', 'relative', 'qualified'), {
    app: { kind: 'call', callee: 'get_application', arguments: [] },
    api: { kind: 'call', callee: 'FastAPI', arguments: ['title="API"', 'docs_url=None'], imported: 'fastapi.FastAPI' },
    dotted: { kind: 'call', callee: 'factories.build.make_app', arguments: ['settings', 'debug=True'] },
    relative: { kind: 'call', callee: 'build_app', arguments: [], imported: '.factory.make_app' },
    qualified: { kind: 'call', callee: 'fastapi.FastAPI', arguments: [] },
  });
  assert.equal(module.functions, [
    { name: 'get_application', requiredParameters: 0 },
    { name: 'main', requiredParameters: 2 },
    { name: 'read_item', requiredParameters: 1 },
  ]);
});

test('calls made as statements at module level, with their keyword arguments: setup.py', async () => {
  const module = await readPythonModule('from setuptools import setup\n\nVERSION = "1.2"\nsetup(\n    name="shop-front",\n    version=VERSION,\n    packages=["shop"],\n)\nif __name__ == "__main__":\n    setuptools.setup(name="other")\nprint("x")\n');
  assert.equal(
    module.calls.map(call => [call.callee, Object.fromEntries(call.keywords)]),
    [
      ['setup', { name: { kind: 'string', value: 'shop-front' }, version: { kind: 'dynamic', source: 'VERSION' }, packages: { kind: 'list', items: [{ kind: 'string', value: 'shop' }] } }],
      ['setuptools.setup', { name: { kind: 'string', value: 'other' } }],
      ['print', {}],
    ],
  );
});

test('a syntax error is reported (the parser recovers and reads on); Python 3.12 syntax parses clean', async () => {
  const broken = await readPythonModule('import os\ndef create_app(:\n    return Flask(__name__\nSTATIC_URL = "/static/"\n');
  assert.is(broken.hasErrors, true);
  const missing = await readPythonModule('ALLOWED_HOSTS = ["a", "b"\n');
  assert.is(missing.hasErrors, true);

  const modern = await readPythonModule(`type Point = tuple[float, float]
type Pair[T] = tuple[T, T]

def first[T](items: list[T]) -> T:
    return items[0]

class Box[T]:
    def __init__(self, item: T) -> None:
        self.item = item

match command.split():
    case ["go", direction] if direction in {"north", "south"}:
        pass
    case {"action": action, **rest}:
        pass
    case Point(x=0, y=0) | None:
        pass
    case _:
        pass

message = f"{'nested ' + f'{value!r:>{width}}'}"
try:
    pass
except* ValueError:
    pass
STATIC_URL = "/static/"
`);
  assert.is(modern.hasErrors, false);
  assert.equal(modern.functions, [{ name: 'first', requiredParameters: 1 }]);
  assert.equal(modern.assignments.get('STATIC_URL'), string('/static/'));
});

test('a module over 4 MiB, or one that takes too long to parse, is refused with PythonSourceLimitError', async () => {
  const tooLong = await readPythonModule('#'.repeat(maxPythonSourceLength + 1)).catch((error: unknown) => error);
  assert.instance(tooLong, PythonSourceLimitError);
  assert.is((tooLong as Error).message, `The module has ${maxPythonSourceLength + 1} characters, more than the ${maxPythonSourceLength} pyrepo reads.`);
  // Nonsense that tree-sitter's error recovery spends seconds on (about 4 s a megabyte here).
  const nonsense = Array.from({ length: 1024 * 1024 }, (_, index) => '([{"\'):=,.\n x'[(index * 7919) % 17]).join('');
  const started = performance.now();
  const slow = await readPythonModule(nonsense, { timeLimitMs: 100 }).catch((error: unknown) => error);
  assert.instance(slow, PythonSourceLimitError);
  assert.is((slow as Error).message, 'Parsing and reading the module took more than 100 ms: it was not read.');
  assert.ok(performance.now() - started < 1000, `stopped soon after the limit (${Math.round(performance.now() - started)} ms)`);
  // Within the limit, the same reader reads on.
  assert.equal((await readPythonModule('A = 1\n')).assignments.get('A'), { kind: 'number', value: 1 });
});

/** Run `reads` in a fresh Node process, counting the WebAssembly modules it compiles or instantiates. */
function webAssemblyLoads(reads: string): { loads: number; output: string } {
  const probe = `
let loads = 0;
for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
  const real = WebAssembly[name];
  WebAssembly[name] = (...args) => (loads++, real.apply(WebAssembly, args));
}
WebAssembly.Module = new Proxy(WebAssembly.Module, { construct: (target, args) => (loads++, new target(...args)) });
const { readPythonModule } = await import(${JSON.stringify(new URL('../src/python-source.js', import.meta.url).href)});
const output = JSON.stringify(await ${reads});
console.log(JSON.stringify({ loads, output }));
`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { loads: number; output: string };
}

test('the parser and its grammar are loaded once per process: twenty first reads at once load what one read loads', () => {
  const one = webAssemblyLoads('readPythonModule("A = 1").then(module => [module.assignments.get("A")])');
  const twenty = webAssemblyLoads('Promise.all(Array.from({ length: 20 }, (_, i) => readPythonModule(`A = ${i}`))).then(modules => modules.map(module => module.assignments.get("A")))');
  assert.ok(one.loads >= 2, `the runtime and the grammar are WebAssembly (${one.loads} loads counted)`);
  assert.is(twenty.loads, one.loads);
  assert.equal(JSON.parse(one.output), [{ kind: 'number', value: 1 }]);
  assert.equal(JSON.parse(twenty.output), Array.from({ length: 20 }, (_, value) => ({ kind: 'number', value })));
});

const coreDir = fileURLToPath(new URL('../../', import.meta.url));
const cliDir = join(coreDir, '..', 'cli');

test('the CLI bundle reads Python with the runtime and grammar copied beside it, loaded on first use: `pyrepo list` loads no WebAssembly', () => {
  const root = scratch('pyrepo-python-source-');
  // A team's generator, given by path: it imports @pyrepo/core from its own install, and so gets
  // the bundle's core (scripts/core-entry.mjs); it writes what readPythonModule read.
  write(root, {
    'generator/package.json': { name: 'pyrepo-generator-read-python', version: '0.0.1', private: true, type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    'generator/schema.json': { $id: 'pyrepo-generator://read-python', title: 'read-python', description: 'Writes the facts of settings.py.', type: 'object', additionalProperties: false, properties: {} },
    'generator/index.js': [
      "import { PyrepoGenerator, readPythonModule } from '@pyrepo/core';",
      'export default class extends PyrepoGenerator {',
      '  async writing() {',
      "    const module = await readPythonModule(this.fs.read(this.destinationPath('settings.py')));",
      "    this.fs.write(this.destinationPath('facts.json'), JSON.stringify({ STATIC_ROOT: module.assignments.get('STATIC_ROOT'), hasErrors: module.hasErrors }));",
      '  }',
      '}',
      '',
    ].join('\n'),
    'project/settings.py': 'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n',
    // Counts the WebAssembly the process compiles and the .wasm files it reads.
    'probe.mjs': [
      "import fs from 'node:fs';",
      "import { fileURLToPath, pathToFileURL } from 'node:url';",
      'const seen = { compiled: 0, files: [] };',
      "for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {",
      '  const real = WebAssembly[name];',
      '  WebAssembly[name] = (...args) => (seen.compiled++, real.apply(WebAssembly, args));',
      '}',
      "const record = file => { const name = String(file); if (name.endsWith('.wasm')) seen.files.push(name.startsWith('file:') ? fileURLToPath(name) : name); };",
      'for (const [owner, name] of [[fs, "readFileSync"], [fs, "readFile"], [fs.promises, "readFile"]]) {',
      '  const real = owner[name];',
      '  owner[name] = function (file, ...rest) { record(file); return real.call(this, file, ...rest); };',
      '}',
      "process.on('exit', () => fs.writeFileSync(process.env.WASM_PROBE_OUT, JSON.stringify(seen)));",
      '',
    ].join('\n'),
  });
  mkdirSync(join(root, 'generator', 'node_modules', '@pyrepo'), { recursive: true });
  symlinkSync(coreDir, join(root, 'generator', 'node_modules', '@pyrepo', 'core'), 'dir');
  const run = (args: string[], cwd: string) => {
    const report = join(root, `probe-${args[0]}.json`);
    const { FORCE_COLOR: _forced, ...env } = process.env;
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(root, 'probe.mjs')).href, join(cliDir, 'dist', 'src', 'bin.js'), ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...env, NO_COLOR: '1', PYREPO_CACHE_DIR: join(root, 'cache'), WASM_PROBE_OUT: report },
    });
    assert.is(result.status, 0, result.stderr);
    return JSON.parse(readFileSync(report, 'utf8')) as { compiled: number; files: string[] };
  };

  assert.equal(run(['list'], root), { compiled: 0, files: [] });
  const added = run(['add', join(root, 'generator'), '--trust', '--yes', '--name', 'demo'], join(root, 'project'));
  const packageFiles = join(cliDir, 'dist', 'bundle', 'package-files');
  assert.equal(added.files.sort(), [join(packageFiles, 'tree-sitter-python', 'tree-sitter-python.wasm'), join(packageFiles, 'web-tree-sitter', 'web-tree-sitter.wasm')]);
  assert.is(added.compiled, 2);
  assert.equal(JSON.parse(readFileSync(join(root, 'project', 'facts.json'), 'utf8')), { STATIC_ROOT: { kind: 'path', base: 'BASE_DIR', parts: ['staticfiles'] }, hasErrors: false });
});

test.run();
