import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkShellScript, runPyrepo, runTool, tempDir } from '@pyrepo/testing';

/**
 * Stub curl, ssh and sudo on PATH that log their arguments; curl writes `archive` to its
 * --output; with RUN_REMOTE set, ssh runs the remote command in a local shell (so an injected
 * command would run).
 */
function stubbedTools(stage: string, archive: Buffer): { env: NodeJS.ProcessEnv; log: () => string } {
  const bin = join(stage, 'bin');
  const logFile = join(stage, 'calls.log');
  mkdirSync(bin);
  writeFileSync(join(stage, 'archive.tar.gz'), archive);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${logFile}'\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('curl', `while [ $# -gt 0 ]; do [ "$1" != --output ] || cp '${join(stage, 'archive.tar.gz')}' "$2"; shift; done`);
  stub('ssh', 'if [ -n "${RUN_REMOTE:-}" ]; then shift; sh -c "$1"; fi');
  stub('sudo', '');
  return { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') };
}

/** Runs scripts/deploy.sh; its exit status and output. */
function deploy(dir: string, args: string[], env: NodeJS.ProcessEnv): { status: string; output: string } {
  try {
    return { status: 'ok', output: runTool('scripts/deploy.sh', args, { cwd: dir, env }) };
  } catch (error) {
    const message = (error as Error).message;
    return { status: /failed \((\w+)\)/.exec(message)?.[1] ?? message, output: message };
  }
}

test('deploy.sh passes shellcheck; --dry-run prints the upload (through ssh, no file in the server\'s /tmp), unpack, switch and restart for the project', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
    const printed = runTool('scripts/deploy.sh', ['--dry-run', 'svc-1.2.0.tar.gz', 'ops@web1'], { cwd: run.dir });
    assert.is(
      printed,
      [
        'ssh ops@web1 set -eu; mkdir -p /srv/svc/releases/svc-1.2.0; tar -xzf - -C /srv/svc/releases/svc-1.2.0 --strip-components=1; ln -sfn /srv/svc/releases/svc-1.2.0 /srv/svc/current; sudo systemctl restart svc < svc-1.2.0.tar.gz',
        'deployed svc-1.2.0 to ops@web1',
        '',
      ].join('\n'),
    );
  } finally {
    run.cleanup();
  }
});

test('bad arguments: a usage line and exit 2, nothing run', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  try {
    for (const args of [[], ['only-one'], ['--dry-run', 'a b.tar.gz', 'host'], ['missing.tar.gz', 'host']]) {
      try {
        runTool('scripts/deploy.sh', args, { cwd: run.dir });
        assert.unreachable(args.join(' '));
      } catch (error) {
        assert.match((error as Error).message, /failed \(2\)/);
        assert.match((error as Error).message, /usage: |not a release archive name|no such archive/);
      }
    }
  } finally {
    run.cleanup();
  }
});

test('a DEPLOY_ROOT or host that would run a command on the server is refused (exit 2) and nothing runs', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  const stage = tempDir('pyrepo-deploy-');
  try {
    const tools = stubbedTools(stage, Buffer.from('archive'));
    writeFileSync(join(run.dir, 'svc-1.2.0.tar.gz'), 'archive');
    const marker = join(stage, 'injected');
    for (const root of [`${stage}/srv;touch ${marker};`, `${stage}/srv $(touch ${marker})`, 'srv/relative']) {
      const result = deploy(run.dir, ['svc-1.2.0.tar.gz', 'ops@web1'], { ...tools.env, RUN_REMOTE: '1', DEPLOY_ROOT: root });
      assert.is(result.status, '2', root);
      assert.match(result.output, /DEPLOY_ROOT (may hold only letters, digits and \. _ \/ -|must be an absolute path)/);
    }
    for (const host of ['-oProxyCommand=touch', 'ops@web1;touch']) {
      const result = deploy(run.dir, ['svc-1.2.0.tar.gz', host], { ...tools.env, RUN_REMOTE: '1' });
      assert.is(result.status, '2', host);
      assert.match(result.output, /not an ssh destination/);
    }
    assert.not.ok(existsSync(marker), 'the injected command ran');
    assert.is(tools.log(), '', 'nothing was copied or run');
  } finally {
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
});

test('an http archive needs --sha256; a wrong checksum is refused before upload, the right one deploys', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  const stage = tempDir('pyrepo-deploy-');
  try {
    const archive = Buffer.from('the release archive');
    const right = createHash('sha256').update(archive).digest('hex');
    const tools = stubbedTools(stage, archive);
    const env = { ...tools.env, DEPLOY_ROOT: join(stage, 'srv') };
    const url = 'http://ci.example.com/a/svc-1.2.0.tar.gz';

    const plain = deploy(run.dir, [url, 'ops@web1'], env);
    assert.is(plain.status, '2');
    assert.match(plain.output, /an http URL can be altered on the way: use https, or give the archive's checksum with --sha256/);
    assert.is(tools.log(), '', 'nothing fetched or run');

    const malformed = deploy(run.dir, ['--sha256', 'abc', url, 'ops@web1'], env);
    assert.is(malformed.status, '2');
    assert.match(malformed.output, /--sha256 takes the archive's SHA-256 as 64 lowercase hex digits: abc/);

    const wrong = deploy(run.dir, ['--sha256', createHash('sha256').update('another archive').digest('hex'), url, 'ops@web1'], env);
    assert.is(wrong.status, '1');
    assert.match(wrong.output, /the SHA-256 of http:\/\/ci\.example\.com\/a\/svc-1\.2\.0\.tar\.gz is not [0-9a-f]{64}: not deployed/);
    assert.match(tools.log(), /^curl /);
    assert.not.match(tools.log(), /^ssh /m, 'nothing reached the server');

    writeFileSync(join(run.dir, 'svc-1.2.0.tar.gz'), 'not the archive');
    const local = deploy(run.dir, ['--sha256', right, 'svc-1.2.0.tar.gz', 'ops@web1'], env);
    assert.is(local.status, '1', 'a local archive is checked too');

    const good = deploy(run.dir, ['--sha256', right, url, 'ops@web1'], env);
    assert.is(good.status, 'ok', good.output);
    assert.match(good.output, /^deployed svc-1\.2\.0 to ops@web1$/m);
    assert.match(tools.log(), /^ssh ops@web1 set -eu; mkdir -p /m);
  } finally {
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
});

test.run();
