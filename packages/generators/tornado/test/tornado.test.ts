import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getWithHost, onFreePort, python, runPyrepo, runTool, startService, stopQuickly } from '@pyrepo/testing';

test('server.py answers / with Hello World where HOST and PORT say, and /healthz whatever the Host header; its tests pass', async () => {
  const run = await runPyrepo({ generators: ['tornado'], values: { name: 'hello', framework: 'tornado', port: 8888 } });
  try {
    assert.match(run.read('server.py'), /os\.environ\.get\("PORT", "8888"\)/);
    assert.match(run.read('requirements/base.txt'), /^tornado==6\.6\.1$/m);
    const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };
    assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], { cwd: run.dir, env }), /2 passed/);
    const server = await onFreePort(port => startService(python, ['server.py'], { cwd: run.dir, env: { ...env, PORT: String(port) }, url: `http://127.0.0.1:${port}/` }));
    try {
      assert.is(await (await fetch(server.url)).text(), 'Hello World');
      assert.equal(await getWithHost(`${server.url}healthz`, '10.1.2.3:8000'), { status: 200, location: undefined, body: 'ok' });
    } finally {
      await stopQuickly(server);
    }
  } finally {
    run.cleanup();
  }
});

test.run();
