// The Debian tools the test suite checks generated files with (see docs/testing.md). Missing ones
// are installed when running as root with apt-get (CI, fresh machines); otherwise the command to
// run is printed and the test run stops before it starts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** [Debian package, how to tell it is there] */
const tools = [
  ['python3-pip', ['/usr/bin/python3', '-c', 'import pip._internal.req.req_file']],
  ['python3-packaging', ['/usr/bin/python3', '-c', 'import packaging.requirements']],
  ['python3-validate-pyproject', ['validate-pyproject', '--version']],
  ['python3-pytest', ['/usr/bin/python3', '-m', 'pytest', '--version']],
  ['python3-coverage', ['/usr/bin/python3', '-m', 'coverage', '--version']],
  ['bsdutils', ['script', '--version']],
  ['shellcheck', ['shellcheck', '--version']],
  ['docker-compose', ['docker-compose', 'version']],
  ['python3-django', ['/usr/bin/python3', '-c', 'import django']],
  ['python3-pytest-django', ['/usr/bin/python3', '-c', 'import pytest_django']],
  ['uwsgi-core', ['uwsgi', '--version']],
  ['uwsgi-plugin-python3', ['test', '-e', '/usr/lib/uwsgi/plugins/python3_plugin.so']],
  ['git', ['git', '--version']],
  ['make', ['make', '--version']],
  ['python3-wheel', ['/usr/bin/python3', '-c', 'import wheel']],
  ['python3-build', ['/usr/bin/python3', '-m', 'build', '--version']],
  ['python3-flask', ['/usr/bin/python3', '-c', 'import flask']],
  ['python3-venv', ['/usr/bin/python3', '-c', 'import ensurepip']],
  ['python3-fastapi', ['/usr/bin/python3', '-c', 'import fastapi']],
  ['python3-uvicorn', ['/usr/bin/python3', '-c', 'import uvicorn']],
  // FastAPI's TestClient, used by the generated tests.
  ['python3-httpx', ['/usr/bin/python3', '-c', 'import httpx']],
  ['python3-tornado', ['/usr/bin/python3', '-c', 'import tornado']],
  ['supervisor', ['/usr/bin/python3', '-c', 'import supervisor.options']],
  ['systemd', ['systemd-analyze', '--version']],
  // Groovy's launcher needs JAVA_HOME when no default-java link exists; the package is what matters.
  ['groovy', ['dpkg', '-s', 'groovy']],
];

const present = ([, [command, ...args]]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const missing = tools.filter(tool => !present(tool)).map(([name]) => name);
if (missing.length === 0) process.exit(0);

const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(`The tests check generated files with Debian tools that are missing: ${missing.join(', ')}.\nInstall them, then run the tests again:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.error(`Installing the Debian tools the tests use: ${missing.join(' ')}`);
const run = args => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['update', '-qq']);
run(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
const still = tools.filter(tool => !present(tool)).map(([name]) => name);
if (still.length > 0) {
  console.error(`Still missing after apt-get install: ${still.join(', ')}`);
  process.exit(1);
}
