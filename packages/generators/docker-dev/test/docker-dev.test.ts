import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkCompose, checkDockerfile, checkDockerignore, runPyrepo } from '@pyrepo/testing';

test('the development image and compose file pass the checks; the requirements of the layout are copied first', async () => {
  const run = await runPyrepo({ generators: ['docker-dev'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application', layout: 'app-dev-frozen', port: 8080, appUser: 'web', python: '3.13' } });
  try {
    const dockerfile = run.read('docker/app/dev.Dockerfile');
    assert.equal(checkDockerfile(dockerfile), []);
    assert.match(dockerfile, /^FROM python:3\.13-slim-trixie$/m);
    assert.match(dockerfile, /COPY requirements-app\.txt requirements-dev\.txt requirements\.txt \.\/\nRUN pip install --no-cache-dir -r requirements-dev\.txt\n/);
    assert.match(dockerfile, /USER web\n\nEXPOSE 8080\/tcp\nENTRYPOINT \["tini", "--"\]\nCMD \["sh", "-c", "python manage\.py migrate --noinput && exec python manage\.py runserver 0\.0\.0\.0:8080"\]\n$/);
    assert.equal(checkCompose(run.dir), []);
    assert.match(run.read('docker-compose.yaml'), /- "127\.0\.0\.1:8080:8080"/);
    assert.equal(checkDockerignore(run.read('.dockerignore'), '.venv'), []);
  } finally {
    run.cleanup();
  }
});

test('publishing on every interface is the user\'s explicit choice: the file says so, and the compose check accepts it only then', async () => {
  const run = await runPyrepo({ generators: ['docker-dev'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application', hostAddress: '0.0.0.0' } });
  try {
    assert.match(run.read('docker-compose.yaml'), /# pyrepo: published on every interface, as chosen \(--host-address 0\.0\.0\.0\)[^\n]*\n\s+- "0\.0\.0\.0:8000:8000"/);
    assert.equal(checkCompose(run.dir), []);
    writeFileSync(join(run.dir, 'docker-compose.yaml'), run.read('docker-compose.yaml').replace(/^\s*# pyrepo: published.*\n/m, ''));
    assert.match(checkCompose(run.dir).join('\n'), /publishes 0\.0\.0\.0:8000:8000\S* on every interface/);
  } finally {
    run.cleanup();
  }
});

test('a framework pyrepo cannot run yet is refused, naming the fix', async () => {
  try {
    await runPyrepo({ generators: ['docker-dev'], values: { name: 'shop' } });
    assert.unreachable('accepted framework none');
  } catch (error) {
    assert.match((error as Error).message, /Generator docker-dev does not know how to run a none application yet/);
    assert.match((error as Error).message, /--framework django/);
  }
});

test.run();
