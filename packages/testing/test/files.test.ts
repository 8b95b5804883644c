// checkRepositories is what the hardening and fuzz tests trust: each check must be able to fail.
import { appendFileSync, chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDockerfile, checkDockerignore, checkRepositories, runPyrepo } from '../src/index.js';

const edit = (dir: string, path: string, change: (text: string) => string) => writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));

test('every kind of generated file passes its tool, and each kind of defect is reported for the file that has it', async () => {
  const runs = [];
  for (const [preset, name] of [['wpmedia-django', 'blog'], ['venv-systemd', 'hello'], ['flask-vendored', 'shop'], ['docker-wheels', 'polls']] as const) {
    runs.push(await runPyrepo({ preset, values: { name } }));
  }
  try {
    const [django, systemd, flask, wheels] = runs.map(run => run.dir) as [string, string, string, string];
    assert.equal(checkRepositories([django, systemd, flask, wheels]), [], 'as generated, every file passes');

    // One defect per kind of file, each where the tool that reads it would stumble.
    const defects: Array<[dir: string, path: string, expected: RegExp]> = [
      [django, 'manage.py', /SyntaxError/],
      [django, 'pyproject.toml', /ValidationError|must contain \['name'\]/],
      [django, 'requirements/dev.txt', /missing\.txt/],
      [django, 'docker-compose.yaml', /publishes 8000:8000\S* on every interface/],
      [django, 'docker/app/Dockerfile', /runs as root/],
      [django, '.dockerignore', /does not exclude git history/],
      [django, 'uwsgi.ini', /unknown config directive: bogus-option/],
      [django, 'docker/app/entrypoint.sh', /SC2086/],
      [django, '.yo-rc.json', /JSON/],
      [systemd, 'deploy/hello.service', /hello.service:9: Unknown key 'Bogus' in section \[Service\]/],
      [systemd, 'deploy/supervisor/hello.conf', /runs as root/],
      [systemd, 'pip.conf', /MissingSectionHeaderError/],
      [flask, 'shop.conf', /InterpolationMissingOptionError/],
      [flask, 'Jenkinsfile', /unexpected|expecting/i],
      [wheels, 'Makefile', /extraneous 'endif'/],
    ];
    edit(django, 'manage.py', text => `${text}\ndef broken(:\n`);
    appendFileSync(join(django, 'pyproject.toml'), '\n[project]\nversion = "1.0"\n');
    appendFileSync(join(django, 'requirements/dev.txt'), '-r missing.txt\n');
    edit(django, 'docker-compose.yaml', text => text.replace('"127.0.0.1:8000:8000"', '"8000:8000"'));
    appendFileSync(join(django, 'docker/app/Dockerfile'), 'USER root\n');
    edit(django, '.dockerignore', text => text.replace(/^\.git\/?$/m, ''));
    appendFileSync(join(django, 'uwsgi.ini'), 'bogus-option = 1\n');
    appendFileSync(join(django, 'docker/app/entrypoint.sh'), 'echo $1\n');
    edit(django, '.yo-rc.json', text => text.slice(0, -10));
    edit(systemd, 'deploy/hello.service', text => text.replace('[Service]\n', '[Service]\nBogus=1\n'));
    edit(systemd, 'deploy/supervisor/hello.conf', text => text.replace(/^user=.*$/m, 'user=root'));
    edit(systemd, 'pip.conf', text => `index-url = https://example.com/simple\n${text}`);
    appendFileSync(join(flask, 'shop.conf'), 'motto = %(missing)s\n');
    appendFileSync(join(flask, 'Jenkinsfile'), 'pipeline {\n');
    appendFileSync(join(wheels, 'Makefile'), 'endif\n');

    const problems = checkRepositories([django, systemd, flask, wheels]);
    for (const [dir, path, expected] of defects) {
      const found = problems.filter(line => line.startsWith(`${dir}/${path}: `));
      assert.ok(found.some(line => expected.test(line)), `${path}: expected a problem matching ${expected}, got:\n${found.join('\n') || '(none)'}`);
    }
    const elsewhere = problems.filter(line => !defects.some(([dir, path]) => line.startsWith(`${dir}/${path}: `)));
    assert.equal(elsewhere, [], 'untouched files still pass');
  } finally {
    runs.forEach(run => run.cleanup());
  }
});

test('a unit without its hardening is rated above 2.5 and reported', async () => {
  const run = await runPyrepo({ preset: 'venv-systemd', values: { name: 'hello' } });
  try {
    edit(run.dir, 'deploy/hello.service', text => text.replace(/^(Protect|Private|Restrict|SystemCall|Capability|NoNewPrivileges|MemoryDeny|LockPersonality|ProcSubset|DevicePolicy|UMask).*\n/gm, ''));
    const problems = checkRepositories([run.dir]);
    assert.ok(problems.some(line => /hello\.service: systemd-analyze security rates it (\d+\.\d+), above 2\.5/.test(line)), problems.join('\n'));
  } finally {
    run.cleanup();
  }
});

test('a file is checked on its own even when another file has the same contents: a non-executable copy of a script is reported', async () => {
  const runs = [await runPyrepo({ generators: ['uwsgi', 'docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application' } }), await runPyrepo({ generators: ['uwsgi', 'docker-prod'], values: { name: 'shop', framework: 'django', settingsModule: 'shop.settings.prod', devSettingsModule: 'shop.settings.dev', wsgiApp: 'shop.wsgi:application' } })];
  try {
    const [checked, copy] = runs.map(run => run.dir) as [string, string];
    assert.is(readFileSync(join(copy, 'docker/app/entrypoint.sh'), 'utf8'), readFileSync(join(checked, 'docker/app/entrypoint.sh'), 'utf8'));
    chmodSync(join(copy, 'docker/app/entrypoint.sh'), 0o644);
    assert.equal(checkRepositories([checked, copy]), [`${copy}/docker/app/entrypoint.sh: not executable`]);
  } finally {
    runs.forEach(run => run.cleanup());
  }
});

test('checkDockerfile flags pip.conf copied into any stage, and RUN --mount without the BuildKit syntax directive; checkDockerignore, by Docker\'s matching rules, flags each usual venv folder, pip.conf and .env.* left in the build context', () => {
  const base = 'FROM python:3.12-slim-trixie AS build\nRUN --mount=type=secret,id=pip.conf,target=/etc/pip.conf pip install -r requirements.txt\nFROM python:3.12-slim-trixie\nUSER 1000\nCMD ["python"]\n';
  assert.equal(checkDockerfile(`# syntax=docker/dockerfile:1\n${base}`), []);
  assert.match(checkDockerfile(base).join('\n'), /line 2: RUN --mount needs the BuildKit frontend/);
  assert.match(checkDockerfile(`# Generated\n# syntax=docker/dockerfile:1\n${base}`).join('\n'), /RUN --mount needs the BuildKit frontend/, 'a directive after a comment is only a comment');
  assert.match(checkDockerfile(`# syntax=docker/dockerfile:1\n${base.replace('AS build\n', 'AS build\nCOPY pip.conf /etc/pip.conf\n')}`).join('\n'), /line 3: COPY of pip\.conf puts its index credentials in a layer/);
  const complete = '.git\n/.venv\n/venv\n/env\n.env\n.env.*\n**/pip.conf\n**/__pycache__\n';
  assert.equal(checkDockerignore(complete, '.venv'), []);
  assert.equal(checkDockerignore(complete.replace('/venv\n', ''), '.venv'), ['.dockerignore does not exclude the virtual environment folder venv']);
  assert.equal(checkDockerignore(complete.replace('/env\n', ''), '.venv'), ['.dockerignore does not exclude the virtual environment folder env']);
  assert.equal(checkDockerignore(complete, 'environments/py312'), ['.dockerignore does not exclude the virtual environment folder environments/py312']);
  assert.equal(checkDockerignore(complete.replace('**/pip.conf\n', ''), '.venv'), ['.dockerignore does not exclude pip.conf (index credentials)']);
  assert.equal(checkDockerignore(`${complete}!pip.conf\n`, '.venv'), ['.dockerignore does not exclude pip.conf (index credentials)'], 'a later ! line lets it back in');
  assert.equal(checkDockerignore(complete.replace('.env.*\n', ''), '.venv'), ['.dockerignore does not exclude .env files (secrets)']);
});

test.run();
