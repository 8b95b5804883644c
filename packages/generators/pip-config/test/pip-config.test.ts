import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { python, runPyrepo, runTool } from '@pyrepo/testing';

const settings = (dir: string) =>
  runTool(python, ['-m', 'pip', 'config', 'list'], { env: { PATH: process.env.PATH, PIP_CONFIG_FILE: join(dir, 'pip.conf') } })
    .split('\n')
    .filter(line => /^global\.(index-url|proxy|disable-pip-version-check)=/.test(line))
    .sort();

test('pip reads the index and the proxy given, and no address otherwise', async () => {
  const given = await runPyrepo({ generators: ['pip-config'], values: { name: 'x', indexUrl: 'https://nexus.example.com/repository/pypi/simple', proxy: 'http://proxy.example.com:3128' } });
  const none = await runPyrepo({ generators: ['pip-config'], values: { name: 'x' } });
  try {
    assert.equal(settings(given.dir), ["global.disable-pip-version-check='true'", "global.index-url='https://nexus.example.com/repository/pypi/simple'", "global.proxy='http://proxy.example.com:3128'"]);
    assert.equal(settings(none.dir), ["global.disable-pip-version-check='true'"]);
    assert.match(none.read('pip.conf'), /^# index-url = https:\/\/pypi\.example\.com\/simple$/m);
  } finally {
    given.cleanup();
    none.cleanup();
  }
});

test('addresses that would not stay one INI value are refused', async () => {
  for (const indexUrl of ['ftp://x', 'https://x/\nproxy = http://evil', 'https://x/$(id)', 'https://x y']) {
    try {
      await runPyrepo({ generators: ['pip-config'], values: { name: 'x', indexUrl } });
      assert.unreachable(indexUrl);
    } catch (error) {
      assert.match((error as Error).message, /--index-url of generator "pip-config": must be an http\(s\) URL/);
    }
  }
});

test('the venv install step and the images use it', async () => {
  const run = await runPyrepo({ generators: ['pip-config', 'docker-prod'], values: { name: 'x', framework: 'tornado' } });
  try {
    assert.match(run.read('docker/app/Dockerfile'), /COPY pip\.conf \/etc\/pip\.conf/);
  } finally {
    run.cleanup();
  }
});

test.run();
