// The pip + venv guide: Tornado in env/, systemd or supervisord, a venv-building Dockerfile, pip.conf.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkDockerfile,
  checkSnapshot,
  checkSystemdUnit,
  onFreePort,
  parseRequirementsFiles,
  python,
  renderTree,
  runPyrepo,
  runTool,
  startSystemdUnit,
  stopQuickly,
  systemdExposure,
  tempDir,
  type RunPyrepoResult,
  checkRuff,
  measureCoverage,
  ruffSettings,
} from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
let run: RunPyrepoResult;

test.before(async () => {
  // A rehearsal of the server: the project targets the Python the server has (Debian 12's 3.11), and
  // the install step makes env/ with it, python3.11 from /usr/bin (first on PATH), seeing Debian's
  // python3-tornado. Not the interpreter finder's next choices: pyenv's or uv's under a home folder
  // (root's here) are not the system's, and the unit's user could not run them. Installing the
  // pinned Tornado needs PyPI, which this machine cannot reach: that is reported.
  const path = process.env.PATH;
  process.env.PATH = `/usr/bin:${path}`;
  process.env.PIP_NO_INDEX = '1';
  try {
    run = await runPyrepo({ preset: 'venv-systemd', values: { name: 'hello', python: '3.11', systemSitePackages: true, skipGit: true }, skipInstall: false });
  } finally {
    process.env.PATH = path;
    delete process.env.PIP_NO_INDEX;
  }
});
test.after(() => run?.cleanup());

test('the files, a pinned requirements.txt, and the snapshot', () => {
  const tree = run.files();
  for (const file of ['server.py', 'requirements.txt', 'pip.conf', 'deploy/hello.service', 'deploy/supervisor/hello.conf', 'docker/app/Dockerfile', 'docker/app/entrypoint.sh']) {
    assert.ok(tree[file], file);
  }
  // The guide's one pinned file is production's; the tools CI needs are in a file of their own.
  assert.equal(parseRequirementsFiles(run.dir, ['requirements.txt', 'requirements-dev.txt']), {
    'requirements.txt': ['tornado==6.6.1'],
    'requirements-dev.txt': ['tornado==6.6.1', 'pytest==9.2.0', 'ruff==0.17.5', 'coverage==7.17.3'],
  });
  const problem = checkSnapshot(snapshots, 'hello', renderTree(tree));
  assert.is(problem, undefined, problem);
});

test('the venv is created for real in env/ with the system\'s Python 3.11 and Tornado; the unit\'s ExecStart, verified against it, serves / on 127.0.0.1 as uid 1000 with NoNewPrivileges, PrivateTmp, ProtectSystem=strict and a release it cannot write to (systemd\'s other sandboxing not simulated)', async () => {
  assert.match(readFileSync(join(run.dir, 'env', 'pyvenv.cfg'), 'utf8'), /^home = \/usr\/bin$/m, run.log);
  assert.match(run.log, /venv: could not install requirements-dev\.txt/, 'offline, the pinned install is reported, not fatal');
  const unit = join(run.dir, 'deploy/hello.service');
  assert.equal(checkSystemdUnit(unit, { release: run.dir }), [], 'systemd-analyze verify, with the venv\'s python as ExecStart');
  const server = await onFreePort(port => startSystemdUnit(unit, { release: run.dir, env: { PORT: String(port) }, url: `http://127.0.0.1:${port}/` }));
  try {
    const response = await fetch(server.url);
    assert.is(response.status, 200);
    assert.is(await response.text(), 'Hello World');
  } finally {
    await stopQuickly(server);
  }
  assert.match(runTool(join(run.dir, 'env', 'bin', 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } }), /2 passed/);
});

test('the systemd unit: the seed\'s ExecStart from the venv, PATH and VIRTUAL_ENV, WorkingDirectory; verified and hardened', () => {
  const unit = join(run.dir, 'deploy/hello.service');
  assert.equal(checkSystemdUnit(unit), []);
  assert.ok(systemdExposure(unit) <= 1.5);
  const text = run.read('deploy/hello.service');
  assert.match(text, /^WorkingDirectory=\/srv\/hello\/current$/m);
  assert.match(text, /^Environment=PATH=\/srv\/hello\/current\/env\/bin:\/usr\/local\/sbin:/m);
  assert.match(text, /^Environment=VIRTUAL_ENV=\/srv\/hello\/current\/env$/m);
  assert.match(text, /^ExecStart=\/srv\/hello\/current\/env\/bin\/python server\.py$/m);
});

test('supervisord parses the program file', () => {
  const work = tempDir('pyrepo-supervisord-');
  try {
    // supervisord looks the program's user up when it loads the file; this machine has no user
    // "app", so the copy it loads names one every system has.
    const program = join(work, 'hello.conf');
    writeFileSync(program, run.read('deploy/supervisor/hello.conf').replace(/^user=app$/m, 'user=nobody'));
    const conf = join(work, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${work}/supervisord.log\npidfile=${work}/supervisord.pid\n\n[include]\nfiles = ${program}\n`);
    const script = [
      'import sys',
      'from supervisor.options import ServerOptions',
      'options = ServerOptions()',
      'options.realize(args=["-c", sys.argv[1]])',
      'process = options.process_group_configs[0].process_configs[0]',
      'print(process.name, process.command, process.directory, process.uid, sorted(process.environment))',
    ].join('\n');
    const output = runTool(python, ['-c', script, conf]);
    assert.match(output, /^hello \/srv\/hello\/current\/env\/bin\/python server\.py \/srv\/hello\/current 65534 \['HOST', 'PATH', 'PORT', 'VIRTUAL_ENV'\]$/m);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('the Dockerfile (read, not built: no Docker engine here) passes the Dockerfile checks and says to build the venv in /opt/venv on a Debian image and run the server from it', () => {
  const dockerfile = run.read('docker/app/Dockerfile');
  assert.equal(checkDockerfile(dockerfile, { production: true }), []);
  assert.match(dockerfile, /FROM python:3\.11-slim-trixie AS build/);
  assert.not.match(dockerfile, /^(COPY|ADD)\b.*pip\.conf/m, 'pip.conf is in no layer');
  assert.match(dockerfile, /RUN --mount=type=secret,id=pip\.conf,target=\/etc\/pip\.conf,required=true \\\n +\/opt\/venv\/bin\/pip install .* -r requirements\.txt/);
  assert.match(dockerfile, /HOST=0\.0\.0\.0/);
  assert.match(dockerfile, /CMD \["python", "server\.py"\]/);
});

test('pip.conf: no address unless given; given ones are what pip reads', async () => {
  // pip also lists this machine's own settings (a site-wide pip.conf): keep what the file sets.
  const ours = /^global\.(index-url|proxy|disable-pip-version-check)=/;
  const list = (dir: string) =>
    runTool(python, ['-m', 'pip', 'config', 'list'], { env: { PATH: process.env.PATH, PIP_CONFIG_FILE: join(dir, 'pip.conf') } })
      .trim()
      .split('\n')
      .filter(line => ours.test(line));
  assert.equal(list(run.dir), ["global.disable-pip-version-check='true'"]);
  const configured = await runPyrepo({ generators: ['pip-config'], values: { name: 'x', indexUrl: 'https://pypi.example.com/simple', proxy: 'http://proxy.example.com:3128' } });
  try {
    assert.equal(list(configured.dir).sort(), ["global.disable-pip-version-check='true'", "global.index-url='https://pypi.example.com/simple'", "global.proxy='http://proxy.example.com:3128'"]);
  } finally {
    configured.cleanup();
  }
});

test('ruff check and ruff format --check pass on every Python file, with the ruff configuration the repository writes', () => {
  assert.ok(ruffSettings(run.dir), 'pyproject.toml configures ruff');
  const { files, problems } = checkRuff(run.dir);
  assert.ok(files.includes('server.py'), `server.py among the files ruff checked: ${files.join(' ')}`);
  assert.equal(problems, []);
});

test('coverage, with the configuration the repository writes, measures the application: the generated tests run under Debian\'s coverage and server.py has data', () => {
  const { measured, warnings } = measureCoverage(run.dir);
  assert.equal(warnings, []);
  assert.ok(measured.includes('server.py'), `server.py among the measured files: ${measured.join(' ')}`);
  assert.ok(measured.every(file => !file.startsWith('tests/')), `only the application is measured: ${measured.join(' ')}`);
});

test.run();
