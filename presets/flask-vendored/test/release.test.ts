// The release rehearsal (issue 16): tag, build as Jenkins does, deploy with scripts/deploy.sh to a
// server that is this machine, the unit's Debian uWSGI restarted on each switch, probe, deploy the
// next tag, roll back.
import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildAsPipeline,
  buildWheel,
  copyOf,
  offlinePip,
  runPyrepo,
  tagRelease,
  tempDir,
  unitServer,
  type RunPyrepoResult,
} from '@pyrepo/testing';

let run: RunPyrepoResult;
let wheels: string;

test.before(async () => {
  wheels = tempDir('pyrepo-wheels-');
  buildWheel(wheels, 'tinydep', '1.0', 'GREETING = "from a vendored wheel"\n');
  run = await runPyrepo({ preset: 'flask-vendored', values: { name: 'shop', python: '3.11', base: ['tinydep==1.0'] } });
});

test.after(() => {
  run?.cleanup();
  rmSync(wheels, { recursive: true, force: true });
});

test('release rehearsal: v1.0.0 built by the Jenkinsfile\'s tag stages, deployed by deploy.sh into its own folder, served by the unit\'s uWSGI (/healthz, /); v1.1.0 deployed; --rollback serves v1.0.0 again', async () => {
  const started = Date.now();
  const repository = copyOf(run.dir);
  // systemctl restart shop: the unit started again on what current points at.
  const host = await unitServer(repository.dir, 'shop', port => ({ UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` }));
  const { root, base } = host;
  try {
    const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', ...offlinePip(wheels) };
    // The lock as scripts/freeze-requirements.sh writes it (Flask is Debian's: no wheel of it here).
    writeFileSync(join(repository.dir, 'requirements.txt'), `${repository.read('requirements.txt')}tinydep==1.0\n`);
    const deploy = (...args: string[]) => host.deploy(args, { ...env, HEALTH_TRIES: '10' });
    const answers = async () => {
      const health = await fetch(`${base}/healthz`);
      const home = await fetch(`${base}/`);
      return { health: health.status, home: home.status, message: ((await home.json()) as { message: string }).message };
    };

    tagRelease(repository.dir, 'v1.0.0');
    buildAsPipeline(repository.dir, env);
    assert.equal(readdirSync(join(repository.dir, 'dist')), ['shop-1.0.0.tar.gz'], 'the archive is named after the tag');
    const first = await deploy('dist/shop-1.0.0.tar.gz', 'deploy@server');
    assert.is(first.status, 0, first.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/shop-1.0.0'));
    assert.equal(await answers(), { health: 200, home: 200, message: 'hello world' });

    const config = join(repository.dir, 'shop.conf');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^greeting = hello world$/m, 'greeting = hello world, again'));
    tagRelease(repository.dir, 'v1.1.0');
    buildAsPipeline(repository.dir, env);
    assert.equal(readdirSync(join(repository.dir, 'dist')), ['shop-1.1.0.tar.gz']);
    const second = await deploy('dist/shop-1.1.0.tar.gz', 'deploy@server');
    assert.is(second.status, 0, second.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/shop-1.1.0'));
    assert.equal(await answers(), { health: 200, home: 200, message: 'hello world, again' });

    const back = await deploy('--rollback', 'deploy@server');
    assert.is(back.status, 0, back.output);
    assert.match(back.output, /rolled back from shop-1\.1\.0 to shop-1\.0\.0/);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/shop-1.0.0'));
    assert.equal(await answers(), { health: 200, home: 200, message: 'hello world' });
    assert.equal(host.commands, ['restart shop', 'restart shop', 'restart shop']);
    assert.equal(readdirSync(join(root, 'releases')).sort(), ['shop-1.0.0', 'shop-1.1.0']);
    console.log(`flask-vendored release rehearsal: ${Date.now() - started} ms`);
  } finally {
    await host.close();
    repository.cleanup();
  }
});

test.run();
