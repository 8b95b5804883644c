import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { buildWheel, checkCompose, checkDockerfile, checkDockerignore, inBuildContext, onFreePort, python, runPyrepo, runTool, startService, tempDir, withEnv } from '@pyrepo/testing';

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

test('the venv install step installs from the index pip.conf names (a local index over HTTP)', async () => {
  const index = tempDir('pyrepo-index-');
  // A PEP 503 simple index is a folder per project with links to its files: http.server's listings are that.
  buildWheel(join(index, 'simple', 'alpha'), 'alpha', '2.0', 'VALUE = "from the configured index"\n');
  const server = await onFreePort(port => startService(python, ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], { cwd: index, env: { PATH: process.env.PATH }, url: `http://127.0.0.1:${port}/simple/` }));
  try {
    const run = await withEnv({ PIP_NO_INDEX: undefined, PIP_FIND_LINKS: undefined, PIP_INDEX_URL: undefined, PIP_CONFIG_FILE: undefined }, () =>
      runPyrepo({ generators: ['pip-config', 'venv'], values: { name: 'x', layout: 'single', indexUrl: `${server.url}` }, files: { 'requirements.txt': 'alpha==2.0\n' }, skipInstall: false }),
    );
    try {
      assert.match(run.log, /venv: \.venv holds requirements-dev\.txt/, run.log);
      assert.is(runTool(join(run.dir, '.venv', 'bin', 'python'), ['-c', 'import alpha; print(alpha.VALUE)']).trim(), 'from the configured index');
    } finally {
      run.cleanup();
    }
  } finally {
    await server.stop();
    rmSync(index, { recursive: true, force: true });
  }
});

test('pip.conf (an index token) reaches the image builds as a BuildKit secret and never a layer: no COPY of it in any stage, the secret mounted on the pip install step, the syntax directive; the build context (Docker\'s .dockerignore rules) leaves it and every usual venv folder out of COPY . .', async () => {
  const images = await runPyrepo({ generators: ['pip-config', 'docker-prod', 'docker-dev'], values: { name: 'x', framework: 'tornado', indexUrl: 'https://token:secret@pypi.example.com/simple' } });
  try {
    for (const [path, install] of [['docker/app/Dockerfile', '/opt/venv/bin/pip install'], ['docker/app/dev.Dockerfile', 'pip install']] as const) {
      const dockerfile = images.read(path);
      assert.ok(dockerfile.startsWith('# syntax=docker/dockerfile:1\n'), `${path}: the BuildKit frontend, for RUN --mount`);
      assert.not.match(dockerfile, /^(COPY|ADD)\b.*pip\.conf/m, `${path}: pip.conf is copied into no stage`);
      assert.ok(dockerfile.includes(`RUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf,required=true \\\n    ${install} `), `${path}: the install step mounts the secret`);
      assert.equal(checkDockerfile(dockerfile, { production: path === 'docker/app/Dockerfile' }), [], path);
    }
    assert.match(images.read('README.md'), /docker build --secret id=pip\.conf,src=pip\.conf -f docker\/app\/Dockerfile -t x \./);
    assert.match(images.read('README.md'), /docker build --secret id=pip\.conf,src=pip\.conf -f docker\/app\/dev\.Dockerfile -t x-dev \./);
    const dockerignore = images.read('.dockerignore');
    assert.equal(checkDockerignore(dockerignore, '.venv'), []);
    const candidates = ['pip.conf', '.venv/bin/python', 'venv/bin/python', 'env/bin/python', 'ENV/bin/python', '.env', '.env.production', 'app.py', 'requirements/prod.txt'];
    assert.equal(inBuildContext(dockerignore, candidates), ['app.py', 'requirements/prod.txt']);
    assert.equal(checkCompose(images.dir), [], 'the compose file still passes docker-compose config');
  } finally {
    images.cleanup();
  }
});

test.run();
