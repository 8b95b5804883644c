import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getWithHost, python, runPyrepo, runTool, startUwsgi } from '@pyrepo/testing';

test('app.py answers / with the greeting of its configuration file, and /healthz whatever the Host header, under pytest and under uWSGI', async () => {
  const run = await runPyrepo({ generators: ['flask', 'uwsgi'], values: { name: 'shop', framework: 'flask', greeting: 'Bonjour, shop!', install: 'system' } });
  try {
    assert.match(run.read('shop.conf'), /^\[app\]\ngreeting = Bonjour, shop!$/m);
    assert.match(run.read('requirements/base.txt'), /^Flask==3\.1\.3$/m);
    assert.match(run.read('uwsgi.ini'), /^module = app:app$/m);
    assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], { cwd: run.dir, env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } }), /2 passed/);
    const server = await startUwsgi(run.dir);
    try {
      assert.equal(await (await fetch(server.url)).json(), { message: 'Bonjour, shop!' });
      assert.equal(await getWithHost(`${server.url}healthz`, '10.1.2.3:8000'), { status: 200, location: undefined, body: 'ok' });
    } finally {
      await server.stop();
    }
  } finally {
    run.cleanup();
  }
});

test('another configuration file is read through <PACKAGE>_CONFIG; a missing one stops the app with its path', async () => {
  const run = await runPyrepo({ generators: ['flask'], values: { name: 'shop', framework: 'flask' }, files: { 'other.conf': '[app]\ngreeting = from elsewhere\n' } });
  try {
    const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
    const read = (config: string) => runTool(python, ['-c', 'import app; print(app.app.config["GREETING"])'], { cwd: run.dir, env: { ...env, SHOP_CONFIG: config } });
    assert.is(read(`${run.dir}/other.conf`).trim(), 'from elsewhere');
    try {
      read('/nowhere/shop.conf');
      assert.unreachable('started without its configuration');
    } catch (error) {
      assert.match((error as Error).message, /Cannot read the configuration file \/nowhere\/shop\.conf/);
    }
  } finally {
    run.cleanup();
  }
});

test('a project whose framework is not Flask is refused', async () => {
  try {
    await runPyrepo({ generators: ['flask'], values: { name: 'shop', framework: 'django' } });
    assert.unreachable('accepted django');
  } catch (error) {
    assert.match((error as Error).message, /this project's framework is django/);
  }
});

test.run();
