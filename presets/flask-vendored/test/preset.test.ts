// The whole preset: build, vendor, package, serve, deploy, checked by the real tools.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildWheel,
  checkGroovy,
  checkShellScript,
  checkSnapshot,
  checkSystemdUnit,
  checkUwsgiIni,
  copyOf,
  onFreePort,
  offlinePip,
  parseRequirementsFiles,
  python,
  renderTree,
  runPyrepo,
  runTool,
  startSystemdUnit,
  stopQuickly,
  systemdExposure,
  tagRelease,
  tempDir,
  type RunPyrepoResult,
  checkRuff,
  measureCoverage,
  ruffSettings,
} from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
let run: RunPyrepoResult;
let wheels: string;
let env: NodeJS.ProcessEnv;

test.before(async () => {
  wheels = tempDir('pyrepo-wheels-');
  buildWheel(wheels, 'tinydep', '1.0', 'GREETING = "from a vendored wheel"\n');
  env = { PATH: process.env.PATH, PYTHON: python, PYTHONDONTWRITEBYTECODE: '1', ...offlinePip(wheels) };
  // Debian's Python (3.11) runs the tests; the project targets it.
  run = await runPyrepo({ preset: 'flask-vendored', values: { name: 'shop', python: '3.11', base: ['tinydep==1.0'] } });
});

test.after(() => {
  run?.cleanup();
  rmSync(wheels, { recursive: true, force: true });
});

/**
 * A copy of the generated repository, vendored: Flask has no wheel here (no PyPI) and Debian's
 * python3-flask provides it, so the lock holds the one dependency a test can vendor, as
 * scripts/freeze-requirements.sh would write it; vendor.sh fills vendors/ from it.
 */
function vendoredCopy(): { dir: string; read(path: string): string; cleanup(): void } {
  const copy = copyOf(run.dir);
  try {
    writeFileSync(join(copy.dir, 'requirements.txt'), `${copy.read('requirements.txt')}tinydep==1.0\n`);
    runTool('scripts/vendor.sh', [], { cwd: copy.dir, env });
    return copy;
  } catch (error) {
    copy.cleanup();
    throw error;
  }
}

/** The release archive `python -m build --sdist` makes of a repository tagged v1.0.0, in its dist/. */
function sdist(dir: string): string {
  tagRelease(dir, 'v1.0.0');
  runTool(python, ['-m', 'build', '--sdist', '--no-isolation', '--outdir', 'dist'], { cwd: dir, env });
  return readdirSync(join(dir, 'dist')).find(file => file.endsWith('.tar.gz'))!;
}

test('the files, and the snapshot of the whole repository', () => {
  const tree = run.files();
  assert.equal(Object.keys(tree), [
    '.env.example', '.gitignore', '.pyrepo-base.json', '.yo-rc.json', 'Jenkinsfile', 'MANIFEST.in', 'README.md', 'app.py', 'deploy/shop.service', 'pyproject.toml',
    'requirements-app.txt', 'requirements-dev.txt', 'requirements.txt', 'scripts/deploy.sh', 'scripts/freeze-requirements.sh',
    'scripts/vendor.sh', 'setup.py', 'shop.conf', 'tests/test_app.py', 'uwsgi.ini',
  ]);
  assert.match(tree['.gitignore']!, /^\/vendors\/$/m);
  const problem = checkSnapshot(snapshots, 'shop', renderTree(tree));
  assert.is(problem, undefined, problem);
});

test('every script passes shellcheck, is executable and set -eu; the Jenkinsfile parses', () => {
  for (const script of ['scripts/vendor.sh', 'scripts/freeze-requirements.sh', 'scripts/deploy.sh']) {
    assert.equal(checkShellScript(join(run.dir, script)), [], script);
  }
  assert.equal(checkGroovy(join(run.dir, 'Jenkinsfile')), []);
});

test('vendor: pip install --target rebuilds vendors/ from the lock, from scratch', () => {
  const copy = vendoredCopy();
  try {
    mkdirSync(join(copy.dir, 'vendors', 'stale-0.1.dist-info'), { recursive: true });
    runTool('scripts/vendor.sh', [], { cwd: copy.dir, env });
    const vendored = readdirSync(join(copy.dir, 'vendors')).filter(entry => entry !== '__pycache__');
    assert.equal(vendored.sort(), ['tinydep-1.0.dist-info', 'tinydep.py'], 'rebuilt from scratch: no stale dist-info');
  } finally {
    copy.cleanup();
  }
});

test('the app loads its dependency from vendors/, relative to itself, with the system site-packages out of the way', () => {
  const copy = vendoredCopy();
  try {
    const app = copy.read('app.py');
    const bootstrap = app.slice(0, app.indexOf('from flask import'));
    const probeFile = join(copy.dir, 'probe.py');
    writeFileSync(probeFile, `${bootstrap}\nimport tinydep\nprint(tinydep.__file__, tinydep.GREETING)\n`);
    // -I: no user site, no PYTHON* variables; -S: no site-packages at all. Run from elsewhere.
    const output = runTool(python, ['-I', '-S', probeFile], { cwd: '/', env: { PATH: process.env.PATH } });
    assert.is(output.trim(), `${join(copy.dir, 'vendors', 'tinydep.py')} from a vendored wheel`);
    rmSync(probeFile);
    assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: copy.dir, env }), /2 passed/);
  } finally {
    copy.cleanup();
  }
});

test('the sdist holds the code, the config, uwsgi.ini and vendors/; the unit\'s uWSGI, verified against the unpacked release, serves / from it as uid 1000 with NoNewPrivileges, PrivateTmp, ProtectSystem=strict and no write access to it (systemd\'s other sandboxing not simulated)', async () => {
  const copy = vendoredCopy();
  const release = tempDir('pyrepo-release-');
  try {
    const archive = sdist(copy.dir);
    const listing = execFileSync('tar', ['-tzf', join(copy.dir, 'dist', archive)], { encoding: 'utf8' }).split('\n');
    for (const member of ['app.py', 'shop.conf', 'uwsgi.ini', 'vendors/tinydep.py', 'vendors/tinydep-1.0.dist-info/METADATA', 'requirements.txt', 'setup.py']) {
      assert.ok(listing.some(line => line.endsWith(`/${member}`)), `${member} in ${archive}`);
    }
    assert.not.ok(listing.some(line => line.includes('/tests/')), 'tests stay out of the release');
    execFileSync('tar', ['-xzf', join(copy.dir, 'dist', archive), '-C', release, '--strip-components=1']);
    assert.equal(checkUwsgiIni(readFileSync(join(release, 'uwsgi.ini'), 'utf8')), []);
    const unit = join(run.dir, 'deploy/shop.service');
    assert.equal(checkSystemdUnit(unit, { release }), [], 'systemd-analyze verify, with the release\'s uwsgi.ini');
    const server = await onFreePort(port => startSystemdUnit(unit, { release, env: { UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` }, url: `http://127.0.0.1:${port}/` }));
    try {
      const response = await fetch(server.url);
      assert.is(response.status, 200, server.output());
      assert.equal(await response.json(), { message: 'hello world' });
    } finally {
      await stopQuickly(server);
    }
  } finally {
    rmSync(release, { recursive: true, force: true });
    copy.cleanup();
  }
});

test('freeze: a clean venv and pip freeze write the lock; with --hashes every archive\'s sha256, which vendoring then checks', async () => {
  const plain = await runPyrepo({ generators: ['requirements', 'vendor'], values: { name: 'locked', layout: 'app-dev-frozen', base: ['tinydep==1.0'] } });
  try {
    runTool('scripts/freeze-requirements.sh', [], { cwd: plain.dir, env });
    assert.equal(parseRequirementsFiles(plain.dir, ['requirements.txt'])['requirements.txt'], ['tinydep==1.0']);
  } finally {
    plain.cleanup();
  }
  const hashed = await runPyrepo({ generators: ['requirements', 'vendor'], values: { name: 'locked', layout: 'app-dev-frozen', hashes: true, base: ['tinydep==1.0'] } });
  try {
    runTool('scripts/freeze-requirements.sh', [], { cwd: hashed.dir, env });
    assert.match(hashed.read('requirements.txt'), /^tinydep==1\.0 \\\n    --hash=sha256:[0-9a-f]{64}$/m);
    runTool('scripts/vendor.sh', [], { cwd: hashed.dir, env });
    assert.ok(existsSync(join(hashed.dir, 'vendors', 'tinydep.py')));
    writeFileSync(join(hashed.dir, 'requirements.txt'), hashed.read('requirements.txt').replace(/sha256:[0-9a-f]{64}/, `sha256:${'0'.repeat(64)}`));
    try {
      runTool('scripts/vendor.sh', [], { cwd: hashed.dir, env });
      assert.unreachable('installed an archive whose hash is not in the lock');
    } catch (error) {
      assert.match((error as Error).message, /THESE PACKAGES DO NOT MATCH THE HASHES/);
    }
  } finally {
    hashed.cleanup();
  }
});

test('the systemd unit: systemd-analyze verify accepts it; its exposure is "OK"', () => {
  const unit = join(run.dir, 'deploy/shop.service');
  assert.equal(checkSystemdUnit(unit), []);
  const exposure = systemdExposure(unit);
  assert.ok(exposure <= 1.5, `exposure ${exposure}`);
  const text = readFileSync(unit, 'utf8');
  assert.match(text, /^User=app$/m);
  assert.match(text, /^ExecStart=\/usr\/bin\/uwsgi --ini \/srv\/shop\/current\/uwsgi\.ini$/m);
  assert.match(text, /^Restart=on-failure$/m);
});

test('ruff check and ruff format --check pass on every Python file, with the ruff configuration the repository writes', () => {
  assert.ok(ruffSettings(run.dir), 'pyproject.toml configures ruff');
  const { files, problems } = checkRuff(run.dir);
  assert.ok(files.includes('app.py'), `app.py among the files ruff checked: ${files.join(' ')}`);
  assert.equal(problems, []);
});

test('coverage, with the configuration the repository writes, measures the application: the generated tests run under Debian\'s coverage and app.py has data', () => {
  const { measured, warnings } = measureCoverage(run.dir);
  assert.equal(warnings, []);
  assert.ok(measured.includes('app.py'), `app.py among the measured files: ${measured.join(' ')}`);
  assert.ok(measured.every(file => !file.startsWith('tests/')), `only the application is measured: ${measured.join(' ')}`);
});

test.run();
