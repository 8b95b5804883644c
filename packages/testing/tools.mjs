// The Debian tools the test suite checks generated files with (see docs/testing.md), and how to
// tell each is there: a program on PATH, a module of Debian's /usr/bin/python3, or a file.
// Modules are top-level names, so finding one imports nothing. scripts/ensure-tools.mjs installs
// the missing ones; @pyrepo/testing refuses to start without them, naming them with the command
// that installs them.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** @type {Array<{ package: string, program?: string, python?: string, file?: string }>} */
export const tools = [
  { package: 'python3', program: '/usr/bin/python3' },
  { package: 'python3-pip', python: 'pip' },
  { package: 'python3-packaging', python: 'packaging' },
  { package: 'python3-validate-pyproject', program: 'validate-pyproject' },
  { package: 'python3-pytest', python: 'pytest' },
  { package: 'python3-coverage', python: 'coverage' },
  { package: 'bsdutils', program: 'script' },
  { package: 'util-linux', program: 'setpriv' },
  { package: 'util-linux', program: 'unshare' },
  // The README-commands test: the loopback of its network namespace, and its probes.
  { package: 'iproute2', program: '/usr/sbin/ip' },
  { package: 'curl', program: 'curl' },
  { package: 'shellcheck', program: 'shellcheck' },
  { package: 'docker-compose', program: 'docker-compose' },
  { package: 'python3-django', python: 'django' },
  { package: 'python3-pytest-django', python: 'pytest_django' },
  // The generated Django prod settings parse DATABASE_URL with it.
  { package: 'python3-dj-database-url', python: 'dj_database_url' },
  { package: 'uwsgi-core', program: 'uwsgi' },
  { package: 'uwsgi-plugin-python3', file: '/usr/lib/uwsgi/plugins/python3_plugin.so' },
  { package: 'git', program: 'git' },
  { package: 'make', program: 'make' },
  { package: 'python3-wheel', python: 'wheel' },
  { package: 'python3-build', python: 'build' },
  // setup.py's version from the git tag.
  { package: 'python3-setuptools-scm', python: 'setuptools_scm' },
  { package: 'python3-flask', python: 'flask' },
  { package: 'python3-venv', python: 'ensurepip' },
  { package: 'python3-fastapi', python: 'fastapi' },
  { package: 'python3-uvicorn', python: 'uvicorn' },
  // The uvicorn command the FastAPI README runs (pip would put it in the venv).
  { package: 'uvicorn', program: 'uvicorn' },
  // FastAPI's TestClient, used by the generated tests.
  { package: 'python3-httpx', python: 'httpx' },
  { package: 'python3-tornado', python: 'tornado' },
  { package: 'supervisor', python: 'supervisor' },
  { package: 'systemd', program: 'systemd-analyze' },
  { package: 'groovy', program: 'groovy' },
];

/** Where a program is: itself when it is a path, else the first match on PATH. */
export function findProgram(program) {
  const candidates = program.includes('/') ? [program] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map(dir => join(dir, program));
  return candidates.find(path => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The Debian packages of the tools that are missing (one Python process for all the modules). */
export function missingPackages() {
  const missing = tools.filter(tool => (tool.program && !findProgram(tool.program)) || (tool.file && !exists(tool.file)));
  const modules = tools.filter(tool => tool.python);
  const check = 'import importlib.util, sys\nfor name in sys.argv[1:]:\n    try:\n        found = importlib.util.find_spec(name) is not None\n    except ImportError:\n        found = False\n    if not found:\n        print(name)\n';
  const result = spawnSync('/usr/bin/python3', ['-c', check, ...modules.map(tool => tool.python)], { encoding: 'utf8' });
  const absent = result.status === 0 ? new Set(result.stdout.split('\n')) : new Set(modules.map(tool => tool.python));
  missing.push(...modules.filter(tool => absent.has(tool.python)));
  return [...new Set(missing.map(tool => tool.package))];
}

function exists(path) {
  try {
    accessSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The Debian package that provides a program, if it is one of the tools. */
export function packageOf(program) {
  return tools.find(tool => tool.program === program)?.package;
}

/** How to install packages, for a message. */
export function installCommand(packages) {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}
