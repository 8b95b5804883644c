// "Python in Production": a src-layout FastAPI package, a zipapp, systemd, Jenkins, git.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  checkGroovy,
  checkShellScript,
  checkSnapshot,
  checkSystemdUnit,
  copyOf,
  gitEnvironment,
  onFreePort,
  python,
  renderTree,
  runPyrepo,
  runTool,
  startService,
  startSystemdUnit,
  stopQuickly,
  systemdExposure,
  tempDir,
  withEnv,
  type RunPyrepoResult,
  checkRuff,
  measureCoverage,
  ruffSettings,
} from '@pyrepo/testing';

const snapshots = fileURLToPath(new URL('../../test/__snapshots__', import.meta.url));
const identity = { name: 'Test', email: 'test@example.com' };
const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
const home = tempDir('pyrepo-home-');
// Set by the before hook; if that fails, uvu (patched) reports its error and runs no test.
let run: RunPyrepoResult;

test.before(async () => {
  run = await withEnv(gitEnvironment(home, identity), () => runPyrepo({ preset: 'fastapi-shiv', values: { name: 'inventory', python: '3.11' } }));
});
test.after(() => {
  run?.cleanup();
  rmSync(home, { recursive: true, force: true });
});

test('the files, the snapshot, and git init with a first commit of everything', () => {
  const tree = run.files();
  assert.equal(Object.keys(tree), [
    '.env.example', '.gitignore', '.pyrepo-base.json', '.yo-rc.json', 'Jenkinsfile', 'MANIFEST.in', 'README.md', 'deploy/inventory.service', 'pyproject.toml',
    'requirements-app.txt', 'requirements-dev.txt', 'requirements.txt', 'scripts/build-pyz.sh', 'scripts/deploy.sh', 'scripts/freeze-requirements.sh',
    'setup.py', 'src/inventory/__init__.py', 'src/inventory/__main__.py', 'src/inventory/main.py', 'tests/test_main.py',
  ]);
  assert.match(tree['.gitignore']!, /^\/venv\/$/m);
  const committed = execFileSync('git', ['ls-files'], { cwd: run.dir, encoding: 'utf8' }).trim().split('\n').sort();
  assert.equal(committed, Object.keys(tree).sort());
  assert.match(execFileSync('git', ['log', '--format=%s'], { cwd: run.dir, encoding: 'utf8' }), /^Initial commit \(pyrepo\)\n$/);
  const problem = checkSnapshot(snapshots, 'inventory', renderTree(tree));
  assert.is(problem, undefined, problem);
});

test('the package imports and serves / (Debian\'s FastAPI and uvicorn); its test passes', async () => {
  assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: run.dir, env }), /2 passed/);
  const server = await onFreePort(port => startService(python, ['-m', 'inventory'], { cwd: run.dir, env: { ...env, PYTHONPATH: 'src', HOST: '127.0.0.1', PORT: String(port) }, url: `http://127.0.0.1:${port}/` }));
  try {
    assert.equal(await (await fetch(server.url)).json(), { message: 'hello world' });
  } finally {
    await server.stop();
  }
});

test('the layout zips into a runnable file with Python\'s own zipapp (shiv adds the dependencies to the same structure), which the unit\'s ExecStart runs as uid 1000 with NoNewPrivileges, PrivateTmp, ProtectSystem=strict and a release it cannot write to (systemd\'s other sandboxing not simulated)', async () => {
  const build = tempDir('pyrepo-zipapp-');
  const release = tempDir('pyrepo-release-');
  // Installing writes build/ and *.egg-info into the source folder: a copy keeps the generated one as it was.
  const source = copyOf(run.dir);
  try {
    runTool(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-build-isolation', '--no-index', '--target', join(build, 'app'), '.'], { cwd: source.dir, env });
    runTool(python, ['-m', 'zipapp', join(build, 'app'), '--main', 'inventory.main:main', '--python', '/usr/bin/python3.11', '--output', join(release, 'inventory.pyz')], { env });
    const unit = join(run.dir, 'deploy/inventory.service');
    assert.equal(checkSystemdUnit(unit, { release }), [], 'systemd-analyze verify, with the release\'s inventory.pyz');
    const server = await onFreePort(port => startSystemdUnit(unit, { release, env: { PORT: String(port) }, url: `http://127.0.0.1:${port}/` }));
    try {
      assert.equal(await (await fetch(server.url)).json(), { message: 'hello world' });
    } finally {
      await stopQuickly(server);
    }
  } finally {
    rmSync(build, { recursive: true, force: true });
    rmSync(release, { recursive: true, force: true });
    source.cleanup();
  }
});

test('the build script, the deploy script, the unit that runs the .pyz, the Jenkinsfile', () => {
  assert.equal(checkShellScript(join(run.dir, 'scripts/build-pyz.sh')), []);
  assert.match(run.read('scripts/build-pyz.sh'), /^zipapp=dist\/inventory-\$release\.pyz$/m);
  assert.match(run.read('scripts/build-pyz.sh'), /-m shiv --compressed --python '\/usr\/bin\/python3\.11' --entry-point inventory\.main:main \\\n    --output-file "\$zipapp" \. -r requirements\.txt/);
  assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
  assert.match(run.read('scripts/deploy.sh'), /^cat > "\$unpacked\/inventory\.pyz"$/m, 'the release folder holds the zipapp under the name the unit starts');
  const unit = join(run.dir, 'deploy/inventory.service');
  assert.equal(checkSystemdUnit(unit), []);
  assert.ok(systemdExposure(unit) <= 1.5);
  // The exact Python the zipapp is built for (its compiled wheels run on that minor version only).
  assert.match(run.read('deploy/inventory.service'), /^ExecStart=\/usr\/bin\/python3\.11 \/srv\/inventory\/current\/inventory\.pyz$/m);
  assert.match(run.read('deploy/inventory.service'), /^User=app$/m);
  assert.equal(checkGroovy(join(run.dir, 'Jenkinsfile')), []);
  assert.match(run.read('Jenkinsfile'), /stage\('Zipapp'\)[\s\S]*archiveArtifacts artifacts: 'dist\/\*\.tar\.gz, dist\/\*\.pyz'/);
});

test('without a git identity (none configured, none guessed) the first commit is reported with the command to run, and the run succeeds', async () => {
  const bare = await withEnv(gitEnvironment(home), () => runPyrepo({ generators: ['repo'], values: { name: 'x', initialCommit: true } }));
  try {
    assert.match(bare.log, /repo: could not make the first commit[\s\S]*Run it yourself later: cd \S+ && git commit --quiet --message 'Initial commit \(pyrepo\)'/);
    assert.ok(existsSync(join(bare.dir, '.git', 'HEAD')), 'git init ran');
    assert.is(spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd: bare.dir }).status, 128, 'no commit');
  } finally {
    bare.cleanup();
  }
});

test('ruff check and ruff format --check pass on every Python file, with the ruff configuration the repository writes', () => {
  assert.ok(ruffSettings(run.dir), 'pyproject.toml configures ruff');
  const { files, problems } = checkRuff(run.dir);
  assert.ok(files.includes('src/inventory/main.py'), `src/inventory/main.py among the files ruff checked: ${files.join(' ')}`);
  assert.equal(problems, []);
});

test('coverage, with the configuration the repository writes, measures the application: the generated tests run under Debian\'s coverage and src/inventory/main.py has data', () => {
  const { measured, warnings } = measureCoverage(run.dir);
  assert.equal(warnings, []);
  assert.ok(measured.includes('src/inventory/main.py'), `src/inventory/main.py among the measured files: ${measured.join(' ')}`);
  assert.ok(measured.every(file => !file.startsWith('tests/')), `only the application is measured: ${measured.join(' ')}`);
});

test.run();
