// The release rehearsal (issue 16): freeze, tag, build the zipapp as Jenkins does, deploy it with
// scripts/deploy.sh to a server that is this machine, the unit's zipapp restarted on each switch,
// probe, deploy the next tag, roll back.
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildAsPipeline,
  buildWheel,
  copyOf,
  offlinePip,
  packWheel,
  python,
  runPyrepo,
  runTool,
  shivStandIn,
  tagRelease,
  tempDir,
  unitServer,
  type RunPyrepoResult,
} from '@pyrepo/testing';

let run: RunPyrepoResult;
let wheels: string;
let shiv: string;

test.before(async () => {
  wheels = tempDir('pyrepo-wheels-');
  // No PyPI here: FastAPI and uvicorn at the versions Debian has, their code Debian's (the wheels
  // hold only their metadata, so the server's python3.11 imports them from dist-packages, as the
  // flask-vendored rehearsal does with Flask); tinydep, which Debian has not, must come from the zipapp.
  packWheel(wheels, 'fastapi', '0.92.0', {});
  packWheel(wheels, 'uvicorn', '0.17.6', {});
  buildWheel(wheels, 'tinydep', '1.0', 'GREETING = "from the zipapp"\n');
  shiv = shivStandIn(tempDir('pyrepo-shiv-'));
  run = await runPyrepo({ preset: 'fastapi-shiv', values: { name: 'inventory', python: '3.11' } });
});

test.after(() => {
  run?.cleanup();
  rmSync(wheels, { recursive: true, force: true });
  rmSync(shiv, { recursive: true, force: true });
});

test('release rehearsal: v1.0.0 frozen, built by the Jenkinsfile\'s tag stages into dist/inventory-1.0.0.pyz, deployed by deploy.sh into its own release folder, run by the unit\'s python3.11 (/healthz, /); v1.1.0 deployed; --rollback serves v1.0.0 again', async () => {
  const started = Date.now();
  const repository = copyOf(run.dir);
  // systemctl restart inventory: the unit started again on what current points at.
  const host = await unitServer(repository.dir, 'inventory', port => ({ PORT: String(port) }));
  const { root, base } = host;
  try {
    // PIP_NO_BUILD_ISOLATION=0 turns build isolation off: the package builds with Debian's setuptools and setuptools-scm.
    const env = { PATH: process.env.PATH, PYTHON: python, PYTHONPATH: shiv, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_BUILD_ISOLATION: '0', ...offlinePip(wheels) };
    const deploy = (...args: string[]) => host.deploy(args, { ...env, HEALTH_TRIES: '20' });
    const answers = async () => {
      const health = await fetch(`${base}/healthz`);
      const home = await fetch(`${base}/`);
      return { health: health.status, healthBody: await health.text(), home: home.status, message: ((await home.json()) as { message: string }).message };
    };
    const zipappFiles = (path: string) => runTool(python, ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', path]).split('\n');

    // The application's dependencies at the versions this machine's index has, then the lock as the script freezes it.
    const app = join(repository.dir, 'requirements-app.txt');
    writeFileSync(app, readFileSync(app, 'utf8').replace(/^fastapi==.*$/m, 'fastapi==0.92.0').replace(/^uvicorn==.*$/m, 'uvicorn==0.17.6\ntinydep==1.0'));
    runTool('scripts/freeze-requirements.sh', [], { cwd: repository.dir, env });
    assert.match(repository.read('requirements.txt'), /^fastapi==0\.92\.0\ntinydep==1\.0\nuvicorn==0\.17\.6\n$/m);

    tagRelease(repository.dir, 'v1.0.0');
    buildAsPipeline(repository.dir, env);
    assert.equal(readdirSync(join(repository.dir, 'dist')).sort(), ['inventory-1.0.0.pyz', 'inventory-1.0.0.tar.gz'], 'the zipapp and the archive are named after the tag');
    const files = zipappFiles(join(repository.dir, 'dist/inventory-1.0.0.pyz'));
    for (const file of ['__main__.py', 'inventory/main.py', 'tinydep.py']) assert.ok(files.includes(file), `${file} in the zipapp: ${files.join(' ')}`);
    assert.match(readFileSync(join(repository.dir, 'dist/inventory-1.0.0.pyz'), 'latin1'), /^#!\/usr\/bin\/python3\.11\n/);
    const first = await deploy('dist/inventory-1.0.0.pyz', 'deploy@server');
    assert.is(first.status, 0, first.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/inventory-1.0.0'));
    assert.equal(readdirSync(join(root, 'releases/inventory-1.0.0')), ['inventory.pyz']);
    assert.equal(await answers(), { health: 200, healthBody: 'ok', home: 200, message: 'hello world' });

    const main = join(repository.dir, 'src/inventory/main.py');
    writeFileSync(main, readFileSync(main, 'utf8').replace('{"message": "hello world"}', '{"message": "hello world, again"}'));
    tagRelease(repository.dir, 'v1.1.0');
    buildAsPipeline(repository.dir, env);
    assert.equal(readdirSync(join(repository.dir, 'dist')).sort(), ['inventory-1.1.0.pyz', 'inventory-1.1.0.tar.gz']);
    const second = await deploy('dist/inventory-1.1.0.pyz', 'deploy@server');
    assert.is(second.status, 0, second.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/inventory-1.1.0'));
    assert.equal(await answers(), { health: 200, healthBody: 'ok', home: 200, message: 'hello world, again' });

    const back = await deploy('--rollback', 'deploy@server');
    assert.is(back.status, 0, back.output);
    assert.match(back.output, /rolled back from inventory-1\.1\.0 to inventory-1\.0\.0/);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/inventory-1.0.0'));
    assert.equal(await answers(), { health: 200, healthBody: 'ok', home: 200, message: 'hello world' });
    assert.equal(host.commands, ['restart inventory', 'restart inventory', 'restart inventory']);
    assert.equal(readdirSync(join(root, 'releases')).sort(), ['inventory-1.0.0', 'inventory-1.1.0']);
    console.log(`fastapi-shiv release rehearsal: ${Date.now() - started} ms`);
  } finally {
    await host.close();
    repository.cleanup();
  }
});

test.run();
