import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getWithHost, onFreePort, python, runPyrepo, runTool, startService } from '@pyrepo/testing';

const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' };

test('src/<package>: python -m <package> serves / on HOST and PORT, and /healthz whatever the Host header; pytest finds the package through pyproject\'s pythonpath', async () => {
  const run = await runPyrepo({ generators: ['pyproject', 'fastapi'], values: { name: 'Stock-API', framework: 'fastapi' } });
  try {
    assert.match(run.read('pyproject.toml'), /pythonpath = \[ "src" \]/);
    assert.match(run.read('requirements/base.txt'), /^fastapi==0\.163\.2\nuvicorn==0\.54\.0$/m);
    assert.match(run.read('requirements/ci.txt'), /^httpx==0\.28\.1$/m);
    assert.match(runTool(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: run.dir, env }), /2 passed/);
    const server = await onFreePort(port => startService(python, ['-m', 'stock_api'], { cwd: run.dir, env: { ...env, PYTHONPATH: 'src', PORT: String(port) }, url: `http://127.0.0.1:${port}/` }));
    try {
      assert.equal(await (await fetch(server.url)).json(), { message: 'hello world' });
      assert.equal(await getWithHost(`${server.url}healthz`, '10.1.2.3:8000'), { status: 200, location: undefined, body: 'ok' });
    } finally {
      await server.stop();
    }
  } finally {
    run.cleanup();
  }
});

test('a project whose framework is not FastAPI is refused', async () => {
  try {
    await runPyrepo({ generators: ['fastapi'], values: { name: 'x', framework: 'flask' } });
    assert.unreachable('accepted flask');
  } catch (error) {
    assert.match((error as Error).message, /this project's framework is flask/);
  }
});

test.run();
