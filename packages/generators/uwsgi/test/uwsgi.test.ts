import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkUwsgiIni, folderState, runPyrepo, startUwsgi, stopQuickly, type RunningService } from '@pyrepo/testing';

const prodEnv = { DJANGO_SETTINGS_MODULE: 'blog.settings.prod', DJANGO_SECRET_KEY: 'a-test-only-secret-key-that-is-long-and-random-enough-0123456789', DJANGO_ALLOWED_HOSTS: '127.0.0.1', DATABASE_URL: 'sqlite://:memory:' };

test('pyrepo add uwsgi into a Django repository generated without it: uwsgi.ini and the pin, nothing else but the uWSGI variables in .env.example; uWSGI serves it', async () => {
  const base = await runPyrepo({ generators: ['repo', 'requirements', 'django', 'docker-dev'], values: { name: 'blog', framework: 'django', skipGit: true } });
  try {
    const before = folderState(base.dir) as Record<string, string>;
    const productionBefore = base.read('requirements/prod.txt');
    const added = await runPyrepo({ generators: ['uwsgi'], dir: base.dir, values: { processes: 3 } });
    const after = folderState(base.dir) as Record<string, string>;
    const changed = Object.keys(after).filter(path => after[path] !== before[path]).sort();
    assert.equal(changed, ['.env.example', '.pyrepo-base.json', '.yo-rc.json', 'requirements/prod.txt', 'uwsgi.ini'], '.yo-rc.json and the base snapshot record the generator; nothing else but the pin, the file and the variables it reads');
    assert.match(base.read('.env.example'), /^# UWSGI_PROCESSES=3$/m, 'the tunables uwsgi.ini reads, at its values');
    assert.is(base.read('requirements/prod.txt'), `${productionBefore}uWSGI==2.0.31\n`, 'the pin, added at the end of production\'s file');
    assert.match(added.log, /create uwsgi\.ini/);
    assert.equal(checkUwsgiIni(base.read('uwsgi.ini')), []);

    const server = await startUwsgi(base.dir, { ...prodEnv, UWSGI_PROCESSES: '2' });
    try {
      const response = await fetch(server.url, { headers: { 'X-Forwarded-Proto': 'https' }, redirect: 'manual' });
      assert.is(response.status, 200);
      assert.equal(await response.json(), { message: 'hello world' });
      assert.is((server.output().match(/spawned uWSGI worker/g) ?? []).length, 2, 'UWSGI_PROCESSES overrides the default of 3');
    } finally {
      await stopQuickly(server);
    }
  } finally {
    base.cleanup();
  }
});

test('a worker that misses the stop signal while it loads the app is killed within seconds', async () => {
  const run = await runPyrepo({ generators: ['repo', 'requirements', 'django', 'uwsgi'], values: { name: 'blog', framework: 'django', skipGit: true } });
  try {
    // The race seen in CI: SIGINT reaching a worker as it finishes loading was caught by Python's
    // handler (a flag nothing reads in uWSGI's C loop), and the stop waited 60 s for it. Here
    // workers 2 and 3 ignore SIGINT while they load, so the stop depends on the mercy bound alone.
    const wsgi = join(run.dir, 'blog', 'wsgi.py');
    const stall = 'import signal, time, uwsgi\nif uwsgi.worker_id() > 1:\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    time.sleep(30)\n';
    writeFileSync(wsgi, stall + readFileSync(wsgi, 'utf8'));
    const server = await startUwsgi(run.dir, { ...prodEnv, UWSGI_PROCESSES: '3' });
    await stopQuickly(server);
    assert.match(server.output(), /worker 2 .* is taking too much time to die/);
  } finally {
    run.cleanup();
  }
});

test('the options land in the ini; out-of-range values are refused', async () => {
  const run = await runPyrepo({ generators: ['uwsgi'], values: { name: 'blog', framework: 'django', settingsModule: 'blog.settings.prod', devSettingsModule: 'blog.settings.dev', wsgiApp: 'blog.wsgi:application', processes: 8, maxRequests: 0, harakiri: 120, chdir: '/srv/blog', port: 9000 } });
  try {
    const ini = run.read('uwsgi.ini');
    for (const line of ['processes = 8', 'max-requests = 0', 'harakiri = 120', 'chdir = /srv/blog', 'http-socket = :9000', 'module = blog.wsgi:application']) {
      assert.ok(ini.includes(`\n${line}\n`), line);
    }
  } finally {
    run.cleanup();
  }
  for (const [values, pattern] of [
    [{ processes: 0 }, /--processes of generator "uwsgi": must be >= 1/],
    [{ chdir: 'relative/path' }, /--chdir of generator "uwsgi": must be an absolute path/],
    [{ harakiri: 'soon' }, /--harakiri of generator "uwsgi": must be integer/],
  ] as const) {
    try {
      await runPyrepo({ generators: ['uwsgi'], values: { name: 'blog', framework: 'django', settingsModule: 'blog.settings.prod', devSettingsModule: 'blog.settings.dev', wsgiApp: 'blog.wsgi:application', ...values } });
      assert.unreachable(JSON.stringify(values));
    } catch (error) {
      assert.match((error as Error).message, pattern);
    }
  }
});

test('no pid file where another local user could create or link it first; checkUwsgiIni flags one in /tmp or a world-writable folder', async () => {
  const run = await runPyrepo({ generators: ['repo', 'requirements', 'django', 'uwsgi'], values: { name: 'blog', framework: 'django', skipGit: true } });
  // Beside the test, wherever the checkout is (in CI it may be inside /tmp).
  const shared = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), 'shared-'));
  try {
    const ini = run.read('uwsgi.ini');
    assert.not.match(ini, /^\s*(safe-)?pidfile2?\s*=/m, 'nothing reads a pid file: systemd and supervisor track the main process themselves');
    assert.equal(checkUwsgiIni(ini), []);
    const withPidfile = (path: string) => checkUwsgiIni(ini.replace(/^module = .*$/m, line => `${line}\npidfile = ${path}`)).join('\n');
    // The line earlier versions generated.
    assert.match(withPidfile('/tmp/blog-master.pid'), /pidfile = \/tmp\/blog-master\.pid: a folder any local user can write/);
    assert.match(withPidfile('/var/tmp/blog.pid'), /a folder any local user can write/);
    chmodSync(shared, 0o777);
    assert.match(withPidfile(join(shared, 'blog.pid')), /a folder any local user can write/);
    chmodSync(shared, 0o700);
    assert.is(withPidfile(join(shared, 'blog.pid')), '', 'a folder only its owner can write');
    assert.is(withPidfile('/run/blog/uwsgi.pid'), '', 'a runtime folder systemd creates for the service');
    assert.match(withPidfile('/tmp/blog/uwsgi.pid'), /a folder any local user can write/, 'a folder in /tmp another user can create first');
    const privateInTmp = mkdtempSync(join(tmpdir(), 'pyrepo-private-'));
    try {
      chmodSync(privateInTmp, 0o700);
      assert.is(withPidfile(join(privateInTmp, 'blog.pid')), '', 'a private folder inside /tmp (sticky): nobody else can make or rename it');
    } finally {
      rmSync(privateInTmp, { recursive: true, force: true });
    }
  } finally {
    rmSync(shared, { recursive: true, force: true });
    run.cleanup();
  }
});

/** Send raw bytes to the server (an HTTP request, with whatever precedes it) and read the answer. */
function sendRaw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setEncoding('utf8');
    socket.on('data', chunk => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The uWSGI request log line for a path, once it is written. */
async function logLine(server: RunningService, path: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < 10_000; await new Promise(resolve => setTimeout(resolve, 50))) {
    const line = server.output().split('\n').find(candidate => candidate.includes(` ${path} => `));
    if (line) return line;
  }
  throw new Error(`no request log line for ${path}:\n${server.output()}`);
}

const proxyHeader = 'PROXY TCP4 203.0.113.7 127.0.0.1 40000 8000\r\n';
const request = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n${headers}Connection: close\r\n\r\n`;

test('by default neither a PROXY protocol header nor X-Forwarded-For sets the client address uWSGI logs (real uWSGI)', async () => {
  const run = await runPyrepo({ generators: ['repo', 'requirements', 'django', 'uwsgi'], values: { name: 'blog', framework: 'django', skipGit: true } });
  try {
    assert.not.match(run.read('uwsgi.ini'), /^\s*(enable-proxy-protocol|log-x-forwarded-for)\b/m);
    const server = await startUwsgi(run.dir, prodEnv);
    try {
      await sendRaw(server.url, `${proxyHeader}${request('/via-proxy-header')}`);
      await sendRaw(server.url, request('/via-forwarded-for', 'X-Forwarded-For: 198.51.100.9\r\n'));
      assert.match(await logLine(server, '/via-forwarded-for'), /\] 127\.0\.0\.1 \(\)/, 'the socket\'s peer is logged');
      assert.not.match(server.output(), /203\.0\.113\.7|198\.51\.100\.9/, 'no address a client sent is logged');
    } finally {
      await stopQuickly(server);
    }
  } finally {
    run.cleanup();
  }
});

test('--proxy-protocol and --log-x-forwarded-for: the address of the PROXY header and of X-Forwarded-For is logged (real uWSGI)', async () => {
  const run = await runPyrepo({ generators: ['repo', 'requirements', 'django', 'uwsgi'], values: { name: 'blog', framework: 'django', skipGit: true, proxyProtocol: true, logXForwardedFor: true } });
  try {
    const ini = run.read('uwsgi.ini');
    assert.match(ini, /^enable-proxy-protocol = true$/m);
    assert.match(ini, /^log-x-forwarded-for = true$/m);
    assert.equal(checkUwsgiIni(ini), []);
    const server = await startUwsgi(run.dir, prodEnv);
    try {
      await sendRaw(server.url, `${proxyHeader}${request('/via-proxy-header')}`);
      await sendRaw(server.url, request('/via-forwarded-for', 'X-Forwarded-For: 198.51.100.9\r\n'));
      assert.match(await logLine(server, '/via-proxy-header'), /\] 203\.0\.113\.7 \(\)/);
      assert.match(await logLine(server, '/via-forwarded-for'), /\] 198\.51\.100\.9 \(\)/);
    } finally {
      await stopQuickly(server);
    }
  } finally {
    run.cleanup();
  }
});

test.run();
