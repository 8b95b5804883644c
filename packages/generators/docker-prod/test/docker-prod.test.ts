import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDockerfile, checkShellScript, runPyrepo } from '@pyrepo/testing';

/** A Django repository whose production requirements install uWSGI, the server the image runs (without them the run stops: test/composition.test.ts). */
const withUwsgi = { 'requirements/base.txt': 'Django\n', 'requirements/prod.txt': '-r base.txt\nuWSGI==2.0.31\n' };

test('the production image: a build stage with a compiler that fills /opt/venv, a final stage without one, tini, non-root; the entrypoint passes shellcheck', async () => {
  const run = await runPyrepo({ generators: ['docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application' }, files: withUwsgi });
  try {
    const dockerfile = run.read('docker/app/Dockerfile');
    assert.equal(checkDockerfile(dockerfile, { production: true }), []);
    assert.match(dockerfile, /FROM python:3\.12-slim-trixie AS build\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends gcc libc6-dev/);
    assert.match(dockerfile, /RUN python -m venv \/opt\/venv\n/);
    assert.match(dockerfile, /RUN \/opt\/venv\/bin\/pip install --no-cache-dir --disable-pip-version-check -r requirements\/prod\.txt/);
    assert.match(dockerfile, /COPY --from=build \/opt\/venv \/opt\/venv\n/);
    assert.match(dockerfile, /VIRTUAL_ENV=\/opt\/venv \\\n    PATH="\/opt\/venv\/bin:\$PATH"/);
    assert.match(dockerfile, /ENTRYPOINT \["tini", "--", "\/app\/docker\/app\/entrypoint\.sh"\]\nCMD \["uwsgi", "--ini", "uwsgi\.ini"\]\n$/);
    assert.equal(checkShellScript(join(run.dir, 'docker/app/entrypoint.sh')), []);
    assert.match(run.log, /docker-prod: the image runs uWSGI with uwsgi\.ini, which is missing: add it with `pyrepo add uwsgi`/);
  } finally {
    run.cleanup();
  }
});

test('the source in the production image is root\'s; the Django database has a folder of its own; checkDockerfile flags an /app the app user owns', async () => {
  const run = await runPyrepo({ generators: ['docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application' }, files: withUwsgi });
  try {
    const dockerfile = run.read('docker/app/Dockerfile');
    assert.not.match(dockerfile, /chown/, 'nothing in /app is handed to the app user');
    assert.not.match(dockerfile, /COPY --chown/);
    assert.match(dockerfile, /&& install -d -o app -g app -m 0700 \/var\/lib\/shop\n(#.*\n)*VOLUME \/var\/lib\/shop\n/);
    assert.not.match(dockerfile, /DATABASE_URL|SQLITE/, 'the image chooses no database: DATABASE_URL comes with the run');
    const owned = (text: string) => checkDockerfile(text, { production: true }).join('\n');
    assert.is(owned(dockerfile), '');
    // What earlier versions generated, and the same through COPY.
    const chowned = dockerfile.replace(/(useradd [^\n]*app)[^\n]*\n[^\n]*\n/, '$1 \\\n    && mkdir /app \\\n    && chown app:app /app\n');
    assert.match(chowned, /chown app:app \/app\n/);
    assert.match(owned(chowned), /the application user app owns \/app, where the code is/);
    assert.match(owned(dockerfile.replace(/^COPY \. \.$/m, 'COPY --chown=app:app . .')), /the application user app owns \/app/);
    assert.is(owned(dockerfile.replace(/^COPY \. \.$/m, 'COPY --chown=root:root . .')), '');
  } finally {
    run.cleanup();
  }
});

test('another server command is written in exec form; a word that is not one is refused', async () => {
  const run = await runPyrepo({ generators: ['docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application', serverCommand: ['gunicorn', 'shop.wsgi:application', '--bind', '0.0.0.0:8000'] }, files: { 'requirements/base.txt': 'Django\n', 'requirements/prod.txt': '-r base.txt\ngunicorn==23.0.0\n' } });
  try {
    assert.match(run.read('docker/app/Dockerfile'), /CMD \["gunicorn", "shop\.wsgi:application", "--bind", "0\.0\.0\.0:8000"\]/);
    assert.not.match(run.log, /uwsgi\.ini, which is missing/);
  } finally {
    run.cleanup();
  }
  try {
    await runPyrepo({ generators: ['docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application', serverCommand: ['sh', '-c', 'rm -rf /; echo'] } });
    assert.unreachable('accepted a shell fragment');
  } catch (error) {
    assert.match((error as Error).message, /Invalid option --server-command of generator "docker-prod" \(item 3\): must be a word of at most 200 letters/);
  }
});

test.run();
