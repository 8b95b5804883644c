// The release rehearsal (issue 16): tag, archive the tag with scripts/release-archive.sh, deploy it
// with scripts/deploy.sh to a server that is this machine (each release gets its own venv, built
// there from requirements.txt through the index pip.conf names), the unit's Tornado restarted on
// each switch, probe, deploy the next tag, roll back.
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildWheel,
  commitAll,
  copyOf,
  packWheel,
  readTree,
  runAsync,
  runPyrepo,
  servePackageIndex,
  tagRelease,
  tempDir,
  unitServer,
  type PackageIndex,
  type RunPyrepoResult,
} from '@pyrepo/testing';

let run: RunPyrepoResult;
let wheels: string;
let index: PackageIndex;

/** Debian's Tornado (python3-tornado 6.2) as a pure wheel: the pinned 6.6.1 is on PyPI, which this machine cannot reach. */
function debiansTornado(wheelsDir: string): string {
  const installed = '/usr/lib/python3/dist-packages';
  const files = Object.fromEntries(
    Object.entries(readTree(join(installed, 'tornado')))
      .filter(([path]) => path.endsWith('.py') && !path.startsWith('test/'))
      .map(([path, text]) => [`tornado/${path}`, text]),
  );
  return packWheel(wheelsDir, 'tornado', '6.2', files);
}

test.before(async () => {
  wheels = tempDir('pyrepo-wheels-');
  debiansTornado(wheels);
  buildWheel(wheels, 'greeting', '1.0', 'GREETING = "Hello from v1.1.0\'s own dependency"\n');
  // The team's index: pip.conf names it, and only through it do the servers' venvs get packages.
  index = await servePackageIndex(wheels);
  run = await runPyrepo({ preset: 'venv-systemd', values: { name: 'hello', python: '3.11', indexUrl: index.url } });
});

test.after(async () => {
  run?.cleanup();
  await index?.close();
  rmSync(wheels, { recursive: true, force: true });
});

test('release rehearsal: an untagged commit is refused; v1.0.0 archived from its tag, deployed by deploy.sh into its own folder with its own venv built from requirements.txt through pip.conf\'s index, served by the unit (/healthz, /); v1.1.0 with a new dependency in its venv only; --rollback serves v1.0.0 again', async () => {
  const started = Date.now();
  const repository = copyOf(run.dir);
  // systemctl restart hello: the unit started again on what current points at.
  const home = tempDir('pyrepo-home-');
  const host = await unitServer(repository.dir, 'hello', port => ({ PORT: String(port) }));
  const { root, base } = host;
  try {
    // The deploying user's environment: no pip settings of its own, so pip.conf's index is the only source.
    const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
    const archive = (...args: string[]) => runAsync('scripts/release-archive.sh', args, { cwd: repository.dir, env });
    const deploy = (...args: string[]) => host.deploy(args, { ...env, HEALTH_TRIES: '10' });
    const answers = async () => ({ health: await (await fetch(`${base}/healthz`)).text(), home: await (await fetch(`${base}/`)).text() });
    const installed = (release: string) =>
      readdirSync(join(root, 'releases', release, 'env/lib/python3.11/site-packages'))
        .filter(name => name.endsWith('.dist-info'))
        .map(name => name.replace(/-[^-]+\.dist-info$/, ''))
        .filter(name => name !== 'pip' && name !== 'setuptools')
        .sort();

    // The pin of Debian's Tornado, which the index has (6.6.1 is on PyPI only).
    writeFileSync(join(repository.dir, 'requirements.txt'), repository.read('requirements.txt').replace(/^tornado==.*$/m, 'tornado==6.2'));
    commitAll(repository.dir, 'Start');
    const untagged = await archive();
    assert.is(untagged.status, 2, untagged.output);
    assert.match(untagged.output, /the checked-out commit has no tag, and a release's version comes from its tag: tag it \(git tag v1\.0\.0\)/);
    assert.not.ok(existsSync(join(repository.dir, 'dist')), 'nothing archived');

    tagRelease(repository.dir, 'v1.0.0');
    const built = await archive();
    assert.is(built.status, 0, built.output);
    assert.equal(readdirSync(join(repository.dir, 'dist')), ['hello-1.0.0.tar.gz'], 'the archive is named after the tag');
    const first = await deploy('dist/hello-1.0.0.tar.gz', 'deploy@server');
    assert.is(first.status, 0, first.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/hello-1.0.0'));
    assert.match(readFileSync(join(root, 'releases/hello-1.0.0/env/pyvenv.cfg'), 'utf8'), /^home = \/usr\/bin$/m, 'the venv is made with the system\'s python3.11');
    assert.match(readFileSync(join(root, 'releases/hello-1.0.0/env/pyvenv.cfg'), 'utf8'), /^include-system-site-packages = false$/m);
    assert.equal(installed('hello-1.0.0'), ['tornado']);
    assert.ok(index.requests.includes('/simple/tornado/'), `pip asked pip.conf's index: ${index.requests.join(' ')}`);
    assert.equal(await answers(), { health: 'ok', home: 'Hello World' });

    // v1.1.0: a new dependency and a visible change.
    writeFileSync(join(repository.dir, 'requirements.txt'), `${readFileSync(join(repository.dir, 'requirements.txt'), 'utf8')}greeting==1.0\n`);
    const source = join(repository.dir, 'server.py');
    writeFileSync(source, readFileSync(source, 'utf8').replace('import tornado.web\n', 'import tornado.web\nfrom greeting import GREETING\n').replace('self.write("Hello World")', 'self.write(GREETING)'));
    tagRelease(repository.dir, 'v1.1.0');
    rmSync(join(repository.dir, 'dist'), { recursive: true });
    assert.is((await archive()).status, 0);
    assert.equal(readdirSync(join(repository.dir, 'dist')), ['hello-1.1.0.tar.gz']);
    const second = await deploy('dist/hello-1.1.0.tar.gz', 'deploy@server');
    assert.is(second.status, 0, second.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/hello-1.1.0'));
    assert.equal(await answers(), { health: 'ok', home: "Hello from v1.1.0's own dependency" });
    assert.equal(installed('hello-1.1.0'), ['greeting', 'tornado']);
    assert.equal(installed('hello-1.0.0'), ['tornado'], 'each release keeps its own venv');

    const back = await deploy('--rollback', 'deploy@server');
    assert.is(back.status, 0, back.output);
    assert.match(back.output, /rolled back from hello-1\.1\.0 to hello-1\.0\.0/);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/hello-1.0.0'));
    assert.equal(await answers(), { health: 'ok', home: 'Hello World' });
    assert.equal(host.commands, ['restart hello', 'restart hello', 'restart hello']);
    assert.equal(readdirSync(join(root, 'releases')).sort(), ['hello-1.0.0', 'hello-1.1.0']);
    assert.equal(relative(root, realpathSync(join(root, 'previous'))), 'releases/hello-1.1.0');
    console.log(`venv-systemd release rehearsal: ${Date.now() - started} ms`);
  } finally {
    await host.close();
    rmSync(home, { recursive: true, force: true });
    repository.cleanup();
  }
});

test.run();
