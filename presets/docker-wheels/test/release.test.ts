// The release rehearsal (issue 16) for the images: tag, build the wheels as the builder image does,
// perform the release image's steps into a scratch root per image tag (no Docker engine here),
// migrate and serve as the README's make targets say, with the entrypoint, the CMD and uWSGI;
// release the next tag beside it on the same volume; roll back by tag.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  copyOf,
  djangoProductionWheels,
  dockerfileSteps,
  imagePathsIn,
  makeReadable,
  offlinePip,
  onFreePort,
  python,
  runPyrepo,
  runTool,
  serviceUid,
  startService,
  stopQuickly,
  tagRelease,
  tempDir,
  unprivileged,
  type RunPyrepoResult,
  type RunningService,
} from '@pyrepo/testing';

let run: RunPyrepoResult;
let pypi: string;

// The image's paths, each found below the scratch root of an image.
const inRoot = imagePathsIn(['/usr/local/bin/entrypoint.sh', '/var/lib/polls', '/etc/polls', '/appenv', '/app']);
// The image's app user (uid 1000 in the base image), as services run in these tests.
const appUid = process.getuid?.() === 0 ? serviceUid : process.getuid!();

test.before(async () => {
  run = await runPyrepo({ preset: 'docker-wheels', values: { name: 'polls', python: '3.11', skipGit: true } });
  // No PyPI: Debian's packages in wheels of the versions the requirements pin stand in for it.
  pypi = djangoProductionWheels(tempDir('pyrepo-pypi-'), path => run.read(path));
});

test.after(() => {
  run?.cleanup();
  rmSync(pypi, { recursive: true, force: true });
});

/** The words of a docker command line as make -n prints it (the values here hold no spaces). */
const words = (line: string) => line.trim().split(' ').map(word => word.replace(/^"(.*)"$/, '$1').replace(/^"([^"]*)"(:.*)$/, '$1$2'));

test('release rehearsal: v1.0.0 and v1.1.0, each built by make build and make release into an image tagged with its version, migrated and served as the README says (entrypoint, CMD, uWSGI: /healthz, /); make run REPO_VERSION=1.0.0 serves v1.0.0 again with the data in the volume', async () => {
  const started = Date.now();
  const repository = copyOf(run.dir);
  const stage = tempDir('pyrepo-images-');
  // docker volume polls-data: a folder shared by the containers of every release.
  const volume = join(stage, 'volumes', 'polls-data');
  let service: RunningService | undefined;
  const env = { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1', PIP_NO_BUILD_ISOLATION: '0', ...offlinePip(pypi) };
  const make = (...args: string[]) => runTool('make', ['-n', '--no-print-directory', ...args], { cwd: repository.dir, env }).split('\n').filter(line => line.startsWith('docker '));
  const base = dockerfileSteps(repository.read('docker/base/Dockerfile'));
  const readme = repository.read('README.md');
  const exported = (name: string) => readme.match(new RegExp(`^export ${name}="([^"]*)"`, 'm'))![1]!;

  // make build: the builder image's command in the checkout (/application), wheels into its wheelhouse/.
  const build = () => {
    const [line] = make('build');
    const command = dockerfileSteps(repository.read('docker/builder/Dockerfile')).find(step => step.keyword === 'CMD')!.json!;
    assert.match(line!, / polls\/polls-builder:latest$/, 'make build runs the builder\'s own command');
    assert.is(command[0], 'pip');
    runTool(python, ['-m', ...command.map(word => word.replace(/^\/wheelhouse$/, join(repository.dir, 'wheelhouse')))], { cwd: repository.dir, env });
  };

  // make release: the base image's steps, then the release Dockerfile's, into a root of its own, stored under its tag.
  const release = () => {
    const [line] = make('release');
    const argv = words(line!);
    const tag = argv[argv.indexOf('-t') + 1]!;
    const buildArgs = Object.fromEntries(argv.flatMap((word, index) => (argv[index - 1] === '--build-arg' ? [word.split(/=(.*)/s).slice(0, 2)] : [])));
    const root = join(stage, 'images', tag.replace(/[/:]/g, '_'));
    const imageEnv: Record<string, string> = {};
    let cmd: string[] = [];
    let entrypoint: string[] = [];
    let workdir = '/';
    const perform = (steps: ReturnType<typeof dockerfileSteps>, context: string) => {
      for (const step of steps) {
        if (step.keyword === 'ENV') for (const [name, value] of step.env!) imageEnv[name] = inRoot(root, value);
        else if (step.keyword === 'WORKDIR') mkdirSync(inRoot(root, (workdir = step.args.trim())), { recursive: true });
        else if (step.keyword === 'CMD') cmd = step.json!;
        else if (step.keyword === 'ENTRYPOINT') entrypoint = step.json!;
        else if (step.keyword === 'COPY') {
          const [source, target] = step.args.trim().split(/\s+/);
          mkdirSync(dirname(inRoot(root, target!)), { recursive: true });
          writeFileSync(inRoot(root, target!), inRoot(root, readFileSync(join(context, source!), 'utf8')), { mode: statSync(join(context, source!)).mode });
        } else if (step.keyword === 'RUN' && context !== repository.dir) {
          // The base image: its virtual environment (Debian's Python for the image's; tini and the app user are not made here).
          const venv = /python -m venv (\S+)/.exec(step.args);
          if (venv) runTool(python, ['-m', 'venv', inRoot(root, venv[1]!)], { env });
        } else if (step.keyword === 'RUN') {
          const bind = step.flags.find(([name]) => name === 'mount')?.[1];
          const target = bind && /(?:^|,)target=([^,]+)/.exec(bind)![1]!;
          const source = bind && /(?:^|,)source=([^,]+)/.exec(bind)![1]!;
          let script = inRoot(root, step.args).replaceAll(/-([og]) app\b/g, `-$1 ${appUid}`);
          if (target) script = script.replaceAll(target, join(repository.dir, source!));
          runTool('sh', ['-euc', script], { cwd: inRoot(root, workdir), env: { PATH: process.env.PATH, ...imageEnv, ...buildArgs } });
        }
      }
    };
    perform(base, join(repository.dir, 'docker/base'));
    perform(dockerfileSteps(repository.read('Dockerfile')), repository.dir);
    makeReadable(stage);
    // tini forwards signals as PID 1; it is not on this machine: the entrypoint it execs runs.
    return { tag, root, imageEnv, entrypoint: entrypoint.slice(entrypoint.indexOf('--') + 1), cmd, workdir };
  };
  const built = new Map<string, ReturnType<typeof release>>();

  // make run / make manage: the image the docker run line names, its volume and variables; the entrypoint without tini (not on this machine).
  const container = (line: string) => {
    const argv = words(line);
    const variables: Record<string, string> = {};
    let volumeTarget = '';
    let index = argv.indexOf('--rm') + 1;
    for (; argv[index]?.startsWith('-'); index += 2) {
      if (argv[index] === '-e') Object.assign(variables, Object.fromEntries([argv[index + 1]!.split(/=(.*)/s).slice(0, 2)]));
      if (argv[index] === '-v') volumeTarget = argv[index + 1]!.split(':')[1]!;
    }
    const image = built.get(argv[index]!);
    assert.ok(image, `docker run of an image make release built: ${argv[index]} (built: ${[...built.keys()].join(' ')})`);
    // The named volume: a new one starts with the image's folder (its owner and mode), then outlives containers.
    const mountPoint = inRoot(image!.root, volumeTarget);
    assert.is(volumeTarget, '/var/lib/polls');
    if (!existsSync(volume)) {
      mkdirSync(dirname(volume), { recursive: true });
      cpSync(mountPoint, volume, { recursive: true, preserveTimestamps: true });
      runTool('chown', [`${appUid}:${appUid}`, volume]);
    }
    rmSync(mountPoint, { recursive: true, force: true });
    symlinkSync(volume, mountPoint);
    const args = argv.slice(index + 1);
    const command = [...image!.entrypoint, ...(args.length > 0 ? args : image!.cmd)];
    const processEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...image!.imageEnv, ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, inRoot(image!.root, value)])) };
    return { command: command.map(word => inRoot(image!.root, word)), env: processEnv, cwd: inRoot(image!.root, image!.workdir) };
  };
  const manage = (line: string) => {
    const { command, env: processEnv, cwd } = container(line);
    const [program, args] = unprivileged(command[0]!, command.slice(1));
    return runTool(program, args, { cwd, env: processEnv });
  };
  const serve = async (line: string) => {
    const { command, env: processEnv, cwd } = container(line);
    service = await onFreePort(port => startService(command[0]!, command.slice(1), { cwd, env: { ...processEnv, UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` }, url: `http://127.0.0.1:${port}/healthz` }));
    const health = await fetch(service.url);
    const home = await fetch(new URL('/', service.url));
    // The static files collected at build time, served by uWSGI's static-map from the WORKDIR.
    const staticFile = await fetch(new URL('/static/admin/css/base.css', service.url));
    return { health: health.status, home: home.status, message: ((await home.json()) as { message: string }).message, static: staticFile.status };
  };
  const stop = async () => {
    if (service) await stopQuickly(service);
    service = undefined;
  };
  const settings = { ENV_VARS: exported('ENV_VARS'), VOLUMES: exported('VOLUMES') };
  const makeWith = (target: string[], extra: Record<string, string> = {}) => runTool('make', ['-n', '--no-print-directory', ...target], { cwd: repository.dir, env: { ...env, ...settings, ...extra } }).split('\n').find(line => line.startsWith('docker run'))!;

  try {
    // v1.0.0: build, release, migrate, serve; a row in the database.
    tagRelease(repository.dir, 'v1.0.0');
    build();
    assert.ok(readdirSync(join(repository.dir, 'wheelhouse')).includes('polls-1.0.0-py3-none-any.whl'), 'the wheel is the tag\'s version');
    const first = release();
    built.set(first.tag, first);
    assert.is(first.tag, 'polls/polls:1.0.0', 'the image is tagged with the tag\'s version');
    assert.match(manage(makeWith(['--', 'manage', 'migrate'])), /Applying auth\.0001_initial\.\.\. OK/);
    manage(makeWith(['--', 'manage', 'createsuperuser', '--noinput', '--username', 'keeper', '--email', 'keeper@example.com']));
    assert.ok(existsSync(join(volume, 'db.sqlite3')), 'the database is in the volume');
    assert.equal(await serve(makeWith(['run'])), { health: 200, home: 200, message: 'hello world', static: 200 });
    await stop();

    // v1.1.0, with a visible change: its own image beside the first; the same volume, migrated, served.
    const views = join(repository.dir, 'polls/views.py');
    writeFileSync(views, readFileSync(views, 'utf8').replace('"hello world"', '"hello world, again"'));
    tagRelease(repository.dir, 'v1.1.0');
    build();
    const second = release();
    built.set(second.tag, second);
    assert.is(second.tag, 'polls/polls:1.1.0');
    assert.match(runTool(join(second.root, 'appenv/bin/python'), ['-c', 'import importlib.metadata; print(importlib.metadata.version("polls"))']), /^1\.1\.0$/m, 'the image of v1.1.0 holds 1.1.0');
    assert.match(manage(makeWith(['--', 'manage', 'migrate'])), /No migrations to apply/);
    assert.equal(await serve(makeWith(['run'])), { health: 200, home: 200, message: 'hello world, again', static: 200 });
    await stop();

    // Roll back, as the README says: the previous image, by its tag, on the same volume.
    const back = makeWith(['run'], { REPO_VERSION: '1.0.0' });
    assert.match(back, / polls\/polls:1\.0\.0 $/);
    assert.equal(await serve(back), { health: 200, home: 200, message: 'hello world', static: 200 });
    const users = JSON.parse(manage(makeWith(['--', 'manage', 'dumpdata', 'auth.user'], { REPO_VERSION: '1.0.0' }))) as Array<{ fields: { username: string; email: string } }>;
    assert.equal(users.map(user => [user.fields.username, user.fields.email]), [['keeper', 'keeper@example.com']], 'v1.0.0 reads the row it wrote, after v1.1.0 ran on the volume');
    assert.equal([...built.keys()], ['polls/polls:1.0.0', 'polls/polls:1.1.0']);
    console.log(`docker-wheels release rehearsal: ${Date.now() - started} ms`);
  } finally {
    await stop();
    rmSync(stage, { recursive: true, force: true });
    repository.cleanup();
  }
});

test.run();
