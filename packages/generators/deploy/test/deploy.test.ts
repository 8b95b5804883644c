import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkShellScript, commitAll, freePort, runPyrepo, runTool, tagRelease, tempDir } from '@pyrepo/testing';

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

test('deploy.sh passes shellcheck; --dry-run prints what runs on the server: unpack into a new folder, atomic switch, restart, health check', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc', port: 8080 } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
    const printed = runTool('scripts/deploy.sh', ['--dry-run', 'svc-1.2.0.tar.gz', 'ops@web1'], { cwd: run.dir });
    assert.ok(printed.startsWith('ssh ops@web1 set -eu; root=/srv/svc service=svc health_url=http://127.0.0.1:8080/healthz health_tries=30 health_timeout=5 release=svc-1.2.0;'), printed);
    assert.match(printed, /mktemp -d "\$root\/releases\/\.\$release\.XXXXXX"/);
    assert.match(printed, /ln -s "\$2" "\$link"\n\s*mv -T "\$link" "\$root\/\$1"/);
    assert.match(printed, /sudo systemctl restart "\$service"/);
    assert.not.match(printed, /\/tmp\/|ln -sfn/);
    assert.match(printed, / < svc-1\.2\.0\.tar\.gz\ndeployed svc-1\.2\.0 to ops@web1\n$/);
    const rollback = runTool('scripts/deploy.sh', ['--dry-run', '--rollback', 'ops@web1'], { cwd: run.dir });
    assert.match(rollback, /^ssh ops@web1 set -eu; root=\/srv\/svc /);
    assert.match(rollback, /point current "\$previous"/);
    assert.match(rollback, / < \/dev\/null\n$/);
  } finally {
    run.cleanup();
  }
});

/** A release archive as `python -m build --sdist` makes it: one top folder; `healthz` holds what the stand-in server answers. */
function releaseArchive(stage: string, release: string, files: Record<string, string>): string {
  const source = join(stage, 'src', release);
  mkdirSync(source, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(source, name), text);
  const archive = join(stage, `${release}.tar.gz`);
  runTool('tar', ['-czf', archive, '-C', join(stage, 'src'), release]);
  return archive;
}

/**
 * A server on this machine: ssh runs the remote command in a local shell (its input the
 * archive), sudo runs its command, and `systemctl restart` (re)starts Python's http.server in
 * DEPLOY_ROOT/current, as the unit would run the release: GET /healthz answers the release's
 * `healthz` file, or 404 when the release has none.
 */
function localServer(stage: string, port: number): { env: NodeJS.ProcessEnv; stop: () => void } {
  const bin = join(stage, 'bin');
  const pidFile = join(stage, 'server.pid');
  mkdirSync(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nset -eu\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('ssh', 'shift\nexec sh -c "$1"');
  stub('sudo', 'exec "$@"');
  stub('systemctl', [
    `[ ! -f '${pidFile}' ] || kill "$(cat '${pidFile}')" 2>/dev/null || true`,
    `cd "$DEPLOY_ROOT/current"`,
    `setsid python3 -m http.server --bind 127.0.0.1 ${port} > /dev/null 2>&1 < /dev/null &`,
    `echo $! > '${pidFile}'`,
  ].join('\n'));
  const stop = () => {
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')));
      } catch {
        // already gone
      }
    }
  };
  const root = join(stage, 'srv');
  return { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, DEPLOY_ROOT: root, HEALTH_URL: `http://127.0.0.1:${port}/healthz`, HEALTH_TRIES: '20' }, stop };
}

test('deploy, a second release, a refused redeploy, a failed health check and --rollback on a local server: new folder each, nothing left behind, current switched by rename', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc' } });
  const stage = tempDir('pyrepo-deploy-');
  const server = localServer(stage, await freePort());
  try {
    const root = join(stage, 'srv');
    const env = server.env;
    const served = async () => (await fetch(env.HEALTH_URL!)).text();
    const first = releaseArchive(stage, 'svc-1.0.0', { healthz: '1.0.0', 'stale.py': 'only in 1.0.0' });
    const second = releaseArchive(stage, 'svc-1.1.0', { healthz: '1.1.0' });

    const one = deploy(run.dir, [first, 'ops@web1'], env);
    assert.is(one.status, 'ok', one.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.0.0'));
    assert.is(await served(), '1.0.0');

    const again = deploy(run.dir, [first, 'ops@web1'], env);
    assert.is(again.status, '3', again.output);
    assert.match(again.output, /svc-1\.0\.0 is already on the server .*: a release is never overwritten; tag a new version, or roll back with --rollback/);

    const two = deploy(run.dir, [second, 'ops@web1'], env);
    assert.is(two.status, 'ok', two.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.1.0'));
    assert.is(readlinkSync(join(root, 'previous')), join(root, 'releases/svc-1.0.0'));
    assert.not.ok(existsSync(join(root, 'releases/svc-1.1.0/stale.py')), 'a release folder holds only its own files');
    assert.is(await served(), '1.1.0');
    assert.is((statSync(join(root, 'releases/svc-1.1.0')).mode & 0o777).toString(8), '755', 'the service user can read the release');

    const corrupt = join(stage, 'svc-1.3.0.tar.gz');
    writeFileSync(corrupt, 'not gzip');
    assert.is.not(deploy(run.dir, [corrupt, 'ops@web1'], env).status, 'ok');
    assert.not.ok(existsSync(join(root, 'releases/svc-1.3.0')), 'a failed unpack leaves no release');
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.1.0'));

    const broken = deploy(run.dir, [releaseArchive(stage, 'svc-1.2.0', { 'app.py': 'no health endpoint' }), 'ops@web1'], { ...env, HEALTH_TRIES: '2' });
    assert.is(broken.status, '1', broken.output);
    assert.match(broken.output, /svc did not answer http:\/\/127\.0\.0\.1:\d+\/healthz after 2 tries \(svc-1\.2\.0 is live\)/);
    assert.match(broken.output, /the service is not healthy on ops@web1: roll back with scripts\/deploy\.sh --rollback ops@web1/);

    const back = deploy(run.dir, ['--rollback', 'ops@web1'], env);
    assert.is(back.status, 'ok', back.output);
    assert.match(back.output, /rolled back from svc-1\.2\.0 to svc-1\.1\.0/);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.1.0'));
    assert.is(await served(), '1.1.0');

    assert.equal(readdirSync(root).sort(), ['current', 'previous', 'releases'], 'no temporary link left');
    assert.equal(readdirSync(join(root, 'releases')).sort(), ['svc-1.0.0', 'svc-1.1.0', 'svc-1.2.0'], 'no temporary folder left');
    assert.ok(lstatSync(join(root, 'current')).isSymbolicLink());

    const none = deploy(run.dir, ['--rollback', 'ops@web1'], { ...env, DEPLOY_ROOT: join(stage, 'empty') });
    assert.is(none.status, '5');
    assert.match(none.output, /no release to return to: .*\/previous is missing/);
  } finally {
    server.stop();
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
});

test('--artifact zipapp: each <name>-<version>.pyz goes into a new release folder as <name>.pyz (what the unit of systemd --run zipapp starts), current switched, health checked; an upload cut short is refused; --rollback; a .tar.gz is refused', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc', artifact: 'zipapp' } });
  const stage = tempDir('pyrepo-deploy-');
  const server = localServer(stage, await freePort());
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
    const root = join(stage, 'srv');
    // The stand-in service serves the release folder: the zipapp itself is its health endpoint.
    const env: NodeJS.ProcessEnv = { ...server.env, HEALTH_URL: server.env.HEALTH_URL!.replace(/healthz$/, 'svc.pyz') };
    const served = async () => (await fetch(env.HEALTH_URL!)).text();
    const zipapp = (version: string, text: string) => {
      const file = join(stage, `svc-${version}.pyz`);
      writeFileSync(file, text);
      return file;
    };
    const one = deploy(run.dir, [zipapp('1.0.0', 'zipapp 1.0.0'), 'ops@web1'], env);
    assert.is(one.status, 'ok', one.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.0.0'));
    assert.equal(readdirSync(join(root, 'releases/svc-1.0.0')), ['svc.pyz']);
    assert.is((statSync(join(root, 'releases/svc-1.0.0/svc.pyz')).mode & 0o777).toString(8), '644', 'the service user can read the zipapp');
    assert.is(await served(), 'zipapp 1.0.0');

    const two = deploy(run.dir, [zipapp('1.1.0', 'zipapp 1.1.0'), 'ops@web1'], env);
    assert.is(two.status, 'ok', two.output);
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.1.0'));
    assert.is(await served(), 'zipapp 1.1.0');

    // ssh's input ends early (a dropped connection): the server gets part of the file.
    const cut = join(stage, 'cut');
    mkdirSync(join(cut, 'bin'), { recursive: true });
    writeFileSync(join(cut, 'bin/ssh'), '#!/bin/sh\nshift\nhead -c 5 | sh -c "$1"\n');
    chmodSync(join(cut, 'bin/ssh'), 0o755);
    const partial = deploy(run.dir, [zipapp('1.2.0', 'zipapp 1.2.0'), 'ops@web1'], { ...env, PATH: `${join(cut, 'bin')}:${env.PATH}` });
    assert.is(partial.status, '6', partial.output);
    assert.match(partial.output, /svc-1\.2\.0 arrived incomplete or altered \(its SHA-256 differs\): not deployed/);
    assert.equal(readdirSync(join(root, 'releases')).sort(), ['svc-1.0.0', 'svc-1.1.0'], 'nothing left of the cut upload');
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.1.0'));

    const back = deploy(run.dir, ['--rollback', 'ops@web1'], env);
    assert.is(back.status, 'ok', back.output);
    assert.match(back.output, /rolled back from svc-1\.1\.0 to svc-1\.0\.0/);
    assert.is(await served(), 'zipapp 1.0.0');

    const archive = releaseArchive(stage, 'svc-1.3.0', { healthz: '1.3.0' });
    const wrong = deploy(run.dir, [archive, 'ops@web1'], env);
    assert.is(wrong.status, '2', wrong.output);
    assert.match(wrong.output, /not a release file \(scripts\/build-pyz\.sh: svc-<version>\.pyz\): /);
  } finally {
    server.stop();
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
});

test('with a unit that runs a zipapp (systemd --run zipapp) the script deploys the .pyz unless told otherwise; a source archive for it, or a zipapp for a unit that runs none, is refused naming both choices', async () => {
  const values = { name: 'svc', framework: 'fastapi', asgiApp: 'svc.main:app', sourceRoot: 'src' };
  const implied = await runPyrepo({ generators: ['systemd', 'deploy'], values: { ...values, run: 'zipapp' } });
  try {
    assert.match(implied.read('scripts/deploy.sh'), /^cat > "\$unpacked\/svc\.pyz"$/m);
    assert.match(implied.read('.yo-rc.json'), /"deploy": \{\s*"artifact": "zipapp"/, 'stored, so a later run deploys the same');
  } finally {
    implied.cleanup();
  }
  for (const [choice, problem] of [
    [{ run: 'zipapp', artifact: 'sdist' }, /--artifact "?sdist"? of generator "deploy" deploys a source archive, but --run "?zipapp"? of generator "systemd" starts the zipapp <name>\.pyz[\s\S]*use --artifact zipapp with --run zipapp/],
    [{ run: 'venv', artifact: 'zipapp' }, /--artifact "?zipapp"? of generator "deploy" deploys a zipapp, but --run "?venv"? of generator "systemd" does not run a zipapp[\s\S]*--run zipapp \(the unit starts the \.pyz\), or --artifact sdist/],
  ] as const) {
    try {
      await runPyrepo({ generators: ['systemd', 'deploy'], values: { ...values, ...choice } });
      assert.unreachable(JSON.stringify(choice));
    } catch (error) {
      assert.match((error as Error).message, problem);
    }
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
    assert.match(tools.log(), /^ssh ops@web1 set -eu; root=/m);
  } finally {
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
});

test('--artifact venv: both scripts pass shellcheck; release-archive.sh refuses an untagged commit and a tag naming no version (exit 2, nothing written), and archives a tag\'s tracked files as dist/<name>-<version>.tar.gz; --dry-run builds the venv in the release before the switch', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc', python: '3.11', artifact: 'venv' } });
  try {
    assert.equal(checkShellScript(join(run.dir, 'scripts/deploy.sh')), []);
    assert.equal(checkShellScript(join(run.dir, 'scripts/release-archive.sh')), []);
    assert.match(run.log, /deploy: a venv release installs requirements\/prod\.txt on the server, which is missing: add it with `pyrepo add requirements`/);
    const archive = () => {
      try {
        return { status: 0, output: runTool('scripts/release-archive.sh', [], { cwd: run.dir }) };
      } catch (error) {
        return { status: Number(/failed \((\d+)\)/.exec((error as Error).message)?.[1]), output: (error as Error).message };
      }
    };
    writeFileSync(join(run.dir, 'app.py'), 'print("1.0.0")\n');
    writeFileSync(join(run.dir, '.gitignore'), 'ignored.txt\n');
    writeFileSync(join(run.dir, 'ignored.txt'), 'not in a release\n');
    commitAll(run.dir, 'Start');
    const untagged = archive();
    assert.is(untagged.status, 2, untagged.output);
    assert.match(untagged.output, /the checked-out commit has no tag, and a release's version comes from its tag: tag it \(git tag v1\.0\.0\) and run this again, or name a tag/);
    tagRelease(run.dir, 'latest');
    const named = archive();
    assert.is(named.status, 2, named.output);
    assert.match(named.output, /tag latest does not name a version: tag releases v1\.2\.0 or 1\.2\.0/);
    assert.not.ok(existsSync(join(run.dir, 'dist')), 'nothing archived');

    tagRelease(run.dir, 'v1.2.0');
    writeFileSync(join(run.dir, 'app.py'), 'print("not committed")\n');
    const made = archive();
    assert.is(made.status, 0, made.output);
    assert.match(made.output, /^dist\/svc-1\.2\.0\.tar\.gz: v1\.2\.0 \([0-9a-f]+\)$/m);
    const listing = runTool('tar', ['-tzf', 'dist/svc-1.2.0.tar.gz'], { cwd: run.dir }).trim().split('\n').sort();
    assert.ok(listing.every(path => path.startsWith('svc-1.2.0/')), listing.join(' '));
    assert.ok(listing.includes('svc-1.2.0/app.py') && listing.includes('svc-1.2.0/scripts/deploy.sh'), listing.join(' '));
    assert.not.ok(listing.includes('svc-1.2.0/ignored.txt'), 'only what git tracks');
    assert.is(runTool('tar', ['-xzOf', 'dist/svc-1.2.0.tar.gz', 'svc-1.2.0/app.py'], { cwd: run.dir }), 'print("1.0.0")\n', 'the tagged commit\'s files, not the working tree\'s');

    const printed = runTool('scripts/deploy.sh', ['--dry-run', 'dist/svc-1.2.0.tar.gz', 'ops@web1'], { cwd: run.dir });
    assert.match(printed, /^ssh ops@web1 set -eu; root=\/srv\/svc .* python=\/usr\/bin\/python3\.11 venv=\.venv requirements=requirements\/prod\.txt release=svc-1\.2\.0;/);
    const venvAt = printed.indexOf('"$python" -m venv "$dir/$venv"');
    assert.ok(printed.indexOf('mv -T "$unpacked" "$dir"') < venvAt && venvAt < printed.indexOf('point current "$dir"'), 'the venv is built in the release\'s own folder, before current switches');
  } finally {
    run.cleanup();
  }
});

test('--artifact venv on a local server: a release gets its own venv before it goes live, its pip.conf then readable by the deploying user only; one whose requirements pip cannot install exits 6, leaves no folder and changes neither current nor the service; a server without the project\'s Python exits 6 before unpacking', async () => {
  const run = await runPyrepo({ generators: ['deploy'], values: { name: 'svc', python: '3.11', layout: 'single', artifact: 'venv' } });
  const stage = tempDir('pyrepo-deploy-');
  const server = localServer(stage, await freePort());
  try {
    const root = join(stage, 'srv');
    const env: NodeJS.ProcessEnv = { ...server.env, PIP_NO_INDEX: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    const served = async () => (await fetch(env.HEALTH_URL!)).text();
    const requirements = '# what production installs\n';
    const first = deploy(run.dir, [releaseArchive(stage, 'svc-1.0.0', { healthz: '1.0.0', 'requirements.txt': requirements, 'pip.conf': '[global]\nindex-url = https://token@pypi.example.com/simple\n' }), 'ops@web1'], env);
    assert.is(first.status, 'ok', first.output);
    assert.match(readFileSync(join(root, 'releases/svc-1.0.0/.venv/pyvenv.cfg'), 'utf8'), /^home = \/usr\/bin$/m);
    assert.is((statSync(join(root, 'releases/svc-1.0.0/pip.conf')).mode & 0o777).toString(8), '600', 'the index token is not the service\'s to read');
    assert.is(await served(), '1.0.0');
    const restarted = readFileSync(join(stage, 'server.pid'), 'utf8');

    const broken = deploy(run.dir, [releaseArchive(stage, 'svc-1.1.0', { healthz: '1.1.0', 'requirements.txt': 'no-such-package==1.0\n' }), 'ops@web1'], env);
    assert.is(broken.status, '6', broken.output);
    assert.match(broken.output, /pip could not install requirements\.txt into .*\/releases\/svc-1\.1\.0\/\.venv; svc-1\.1\.0 not deployed/);
    assert.equal(readdirSync(join(root, 'releases')), ['svc-1.0.0'], 'no folder left, temporary or not');
    assert.is(readlinkSync(join(root, 'current')), join(root, 'releases/svc-1.0.0'));
    assert.is(readFileSync(join(stage, 'server.pid'), 'utf8'), restarted, 'the service was not restarted');
    assert.is(await served(), '1.0.0');
  } finally {
    server.stop();
    rmSync(stage, { recursive: true, force: true });
    run.cleanup();
  }
  // A Python Debian 12 (this machine, CI's) does not ship.
  assert.not.ok(existsSync('/usr/bin/python3.10'), 'this machine has /usr/bin/python3.10: the check below needs a Python it lacks');
  const future = await runPyrepo({ generators: ['deploy'], values: { name: 'svc', python: '3.10', artifact: 'venv' } });
  const elsewhere = tempDir('pyrepo-deploy-');
  try {
    const server = localServer(elsewhere, await freePort());
    const missing = deploy(future.dir, [releaseArchive(elsewhere, 'svc-1.0.0', { healthz: '1.0.0' }), 'ops@web1'], server.env);
    assert.is(missing.status, '6', missing.output);
    assert.match(missing.output, /the server has no \/usr\/bin\/python3\.10, the Python the project is built for: install it \(Debian: apt-get install python3\.10 python3\.10-venv\); svc-1\.0\.0 not deployed/);
    assert.not.ok(existsSync(join(elsewhere, 'srv/releases')), 'nothing unpacked');
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
    future.cleanup();
  }
});

test.run();
