import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderState, onFreePort, removedLines, startService, stopQuickly, tempDir, writeTree } from '@pyrepo/testing';
import { pyrepo } from './helpers/cli.js';

// Generators whose parts must agree across the run (core/composition-checks.ts), through the real CLI.

/** A Flask application as teams have it, with what the fixture's files hold. */
const flaskApp = {
  'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\ndef index():\n    return {"message": "hello"}\n',
  'requirements.txt': 'flask\n',
};

function fixture(files: Record<string, string>): string {
  const dir = tempDir();
  writeTree(dir, files);
  return dir;
}

test('pyrepo add uwsgi systemd: the unit runs the system uWSGI, so the ini loads its python3 plugin, and Debian\'s uWSGI serves / as the unit starts it; a unit on pip\'s uWSGI keeps --install pip', async () => {
  const dir = fixture(flaskApp);
  try {
    const result = pyrepo(['add', 'uwsgi', 'systemd', '--yes', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], dir);
    assert.is(result.code, 0, result.stderr);
    const ini = readFileSync(join(dir, 'uwsgi.ini'), 'utf8');
    assert.match(ini, /^plugins = python3$/m);
    assert.not.match(readFileSync(join(dir, 'requirements.txt'), 'utf8'), /uwsgi/i, 'the system uWSGI is not pip-installed too');
    const unit = readFileSync(join(dir, 'deploy/shop.service'), 'utf8');
    const execStart = /^ExecStart=(\S+) (.*)$/m.exec(unit)!;
    assert.is(execStart[1], '/usr/bin/uwsgi');
    // Stored with the user's choices: a later `pyrepo add uwsgi` writes the same ini.
    assert.equal(JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-pyrepo'].generators.uwsgi, { install: 'system' });
    // The unit's own command (its ini path made local): no --plugins on the command line, as on the server.
    const args = execStart[2]!.replace('/srv/shop/current/uwsgi.ini', 'uwsgi.ini').split(' ');
    const server = await onFreePort(port =>
      startService(execStart[1]!, args, { cwd: dir, env: { PATH: process.env.PATH, UWSGI_CHDIR: dir, UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` }, url: `http://127.0.0.1:${port}/` }),
    );
    try {
      const response = await fetch(server.url);
      assert.is(response.status, 200);
      assert.equal(await response.json(), { message: 'hello' });
    } finally {
      await stopQuickly(server);
    }
    assert.equal(removedLines(dir, flaskApp), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // A unit pointed at pip's uWSGI (a virtual environment's) keeps the default: no plugin line, uWSGI pinned.
  const venvDir = fixture(flaskApp);
  try {
    const result = pyrepo(['add', 'uwsgi', 'systemd', '--yes', '--uwsgi-binary', '/srv/shop/current/.venv/bin/uwsgi', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], venvDir);
    assert.is(result.code, 0, result.stderr);
    assert.not.match(readFileSync(join(venvDir, 'uwsgi.ini'), 'utf8'), /^plugins/m);
    assert.match(readFileSync(join(venvDir, 'requirements.txt'), 'utf8'), /^uWSGI==/m);
  } finally {
    rmSync(venvDir, { recursive: true, force: true });
  }
});

test('pyrepo add uwsgi systemd --install pip: the conflict is exit 2 naming both choices and the ways out, nothing written', () => {
  const dir = fixture(flaskApp);
  try {
    const before = folderState(dir);
    const result = pyrepo(['add', 'uwsgi', 'systemd', '--yes', '--install', 'pip', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], dir);
    assert.is(result.code, 2, result.stderr);
    assert.match(result.stderr, /--install "pip" of generator "uwsgi" writes uwsgi\.ini for pip's uWSGI/);
    assert.match(result.stderr, /generator "systemd" runs the system's uWSGI \(--uwsgi-binary "\/usr\/bin\/uwsgi" of generator "systemd" \(the default\)\)/);
    assert.match(result.stderr, /fix: choose one: --install system .*, or --uwsgi-binary/);
    assert.not.match(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(folderState(dir), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pyrepo add systemd after pyrepo add uwsgi (pip\'s ini): exit 2, nothing written; adding both again agrees on the system uWSGI and keeps the user\'s lines', () => {
  const dir = fixture(flaskApp);
  try {
    assert.is(pyrepo(['add', 'uwsgi', '--yes', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], dir).code, 0);
    assert.not.match(readFileSync(join(dir, 'uwsgi.ini'), 'utf8'), /^plugins/m);
    const before = folderState(dir);
    const alone = pyrepo(['add', 'systemd', '--yes'], dir);
    assert.is(alone.code, 2, alone.stderr);
    assert.match(alone.stderr, /Generator "systemd" runs the system's uWSGI \(\/usr\/bin\/uwsgi\), which loads Python only as a plugin, but the repository's uwsgi\.ini loads none/);
    assert.match(alone.stderr, /fix: choose one: add uwsgi to this run \(pyrepo add uwsgi systemd/);
    assert.equal(folderState(dir), before);
    const both = pyrepo(['add', 'uwsgi', 'systemd', '--yes'], dir);
    assert.is(both.code, 0, both.stderr);
    assert.match(readFileSync(join(dir, 'uwsgi.ini'), 'utf8'), /^plugins = python3$/m);
    assert.equal(removedLines(dir, flaskApp), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docker-prod added to a flask-vendored repository: the image would run uwsgi that nothing it installs provides; exit 2 with the choices, nothing written', () => {
  const dir = tempDir();
  try {
    const made = pyrepo(['new', 'flask-vendored', '.', '--yes', '--skip-install', '--name', 'shop', '--skip-git'], dir);
    assert.is(made.code, 0, made.stderr);
    const before = folderState(dir);
    const result = pyrepo(['add', 'docker-prod', '--yes'], dir);
    assert.is(result.code, 2, result.stderr);
    assert.match(result.stderr, /Generator "docker-prod": the image runs "uwsgi --ini uwsgi\.ini" \(its CMD\), but nothing it installs provides uwsgi: requirements\.txt and requirements-app\.txt \(what the image installs\) do not name uwsgi/);
    assert.match(result.stderr, /fix: choose one: add uwsgi to requirements-app\.txt yourself \(and to requirements\.txt\), or run the uwsgi generator with --install pip in the same run; or give the image a server it installs with --server-command/);
    assert.equal(folderState(dir), before);
    const withUwsgi = pyrepo(['add', 'uwsgi', 'docker-prod', '--yes'], dir);
    assert.is(withUwsgi.code, 2, withUwsgi.stderr);
    assert.match(withUwsgi.stderr, /and --install "system" of generator "uwsgi" \(set by preset "flask-vendored"\) installs uWSGI from the server's packages, which the image does not have\./);
    assert.equal(folderState(dir), before);

    // Once the requirements name it, the same run goes through.
    writeTree(dir, { 'requirements-app.txt': `${readFileSync(join(dir, 'requirements-app.txt'), 'utf8')}uWSGI==2.0.31\n` });
    const fixed = pyrepo(['add', 'docker-prod', '--yes'], dir);
    assert.is(fixed.code, 0, fixed.stderr);
    assert.match(readFileSync(join(dir, 'docker/app/Dockerfile'), 'utf8'), /CMD \["uwsgi", "--ini", "uwsgi\.ini"\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('docker-prod whose server the repository\'s requirements install is not refused; one they do not (gunicorn) is', () => {
  const files = { ...flaskApp, 'requirements.txt': 'flask\nuWSGI==2.0.28  # the team pins its own\n' };
  const dir = fixture(files);
  try {
    const result = pyrepo(['add', 'docker-prod', '--yes', '--name', 'shop', '--framework', 'flask', '--layout', 'single'], dir);
    assert.is(result.code, 0, result.stderr);
    assert.equal(removedLines(dir, files), []);
    const gunicorn = pyrepo(['add', 'docker-prod', '--yes', '--server-command', 'gunicorn', '--server-command', 'app:app'], dir);
    assert.is(gunicorn.code, 2, gunicorn.stderr);
    assert.match(gunicorn.stderr, /the image runs "gunicorn app:app" \(its CMD\), but nothing it installs provides gunicorn: requirements\.txt \(what the image installs\) do not name gunicorn, and no generator of this run adds it\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
