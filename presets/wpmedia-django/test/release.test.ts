// The release rehearsal (issue 16) for WP Media's production image: tag, perform
// docker/app/Dockerfile's steps into a scratch root per tag (no Docker engine here), start it as
// its ENTRYPOINT and CMD do (entrypoint.sh migrates, then uWSGI) on a volume the releases share;
// release the next tag beside it; roll back by starting the first image again.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  copyOf,
  djangoProductionWheels,
  dockerfileSteps,
  imagePathsIn,
  inBuildContext,
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
const inRoot = imagePathsIn(['/opt/venv', '/var/lib/blog', '/build', '/app']);
// The image's app user (uid 1000), as services run in these tests.
const appUid = process.getuid?.() === 0 ? serviceUid : process.getuid!();
const systemPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

test.before(async () => {
  run = await runPyrepo({ preset: 'wpmedia-django', values: { name: 'blog', skipGit: true } });
  // No PyPI: Debian's packages in wheels of the versions the requirements pin stand in for it.
  pypi = djangoProductionWheels(tempDir('pyrepo-pypi-'), path => run.read(path));
});

test.after(() => {
  run?.cleanup();
  rmSync(pypi, { recursive: true, force: true });
});

test('release rehearsal: v1.0.0 and v1.1.0, each built as docker/app/Dockerfile says into a root of its own, started through entrypoint.sh (migrate, then uWSGI) with the README\'s variables on a shared volume (/healthz, /, a static file); starting the v1.0.0 image again answers v1.0.0\'s text and keeps the user created under v1.0.0', async () => {
  const started = Date.now();
  const repository = copyOf(run.dir);
  const stage = tempDir('pyrepo-images-');
  // docker volume blog-data: a folder shared by the containers of every release.
  const volume = join(stage, 'volumes', 'blog-data');
  let service: RunningService | undefined;

  // docker build -f docker/app/Dockerfile -t blog:<version> .: both stages into one root (COPY
  // --from=build copies the venv to where it already is); apt-get is not run (gcc: the wheels
  // are made; tini: not on this machine), nor are the user's groupadd and useradd.
  const build = (version: string) => {
    const root = join(stage, 'images', `blog_${version}`);
    const imageEnv: Record<string, string> = {};
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    let volumeTarget = '';
    let workdir = '/';
    const context = readdirSync(repository.dir, { recursive: true, withFileTypes: true }).filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name).slice(repository.dir.length + 1));
    const copied = new Set(inBuildContext(repository.read('.dockerignore'), context));
    for (const step of dockerfileSteps(repository.read('docker/app/Dockerfile'))) {
      if (step.keyword === 'ENV') for (const [name, value] of step.env!) imageEnv[name] = inRoot(root, value.replace('$PATH', systemPath));
      else if (step.keyword === 'WORKDIR') mkdirSync(inRoot(root, (workdir = step.args.trim())), { recursive: true });
      else if (step.keyword === 'VOLUME') volumeTarget = step.args.trim();
      else if (step.keyword === 'ENTRYPOINT') entrypoint = step.json!;
      else if (step.keyword === 'CMD') cmd = step.json!;
      else if (step.keyword === 'COPY' && step.flags.some(([name]) => name === 'from')) assert.equal(step.args.trim().split(/\s+/), ['/opt/venv', '/opt/venv'], 'the final stage takes the build stage\'s venv as it is');
      else if (step.keyword === 'COPY') {
        const [source, target] = step.args.trim().split(/\s+/) as [string, string];
        const into = join(inRoot(root, workdir), target);
        for (const path of copied) {
          if (source !== '.' && !path.startsWith(source)) continue;
          const destination = join(into, source === '.' ? path : path.slice(source.length));
          mkdirSync(dirname(destination), { recursive: true });
          cpSync(join(repository.dir, path), destination, { preserveTimestamps: true });
        }
      } else if (step.keyword === 'RUN') {
        const commands = step.args.split(/\s*&&\s*/).map(command => command.replace(/\\\n\s*/g, ' ').trim()).filter(command => !/^(apt-get|rm -rf \/var\/lib\/apt|groupadd|useradd)\b/.test(command));
        for (const command of commands) {
          const venv = /^python -m venv (\S+)$/.exec(command);
          // The build stage's Python is Debian's here.
          if (venv) runTool(python, ['-m', 'venv', inRoot(root, venv[1]!)]);
          else runTool('sh', ['-euc', inRoot(root, command).replaceAll(/-([og]) app\b/g, `-$1 ${appUid}`)], { cwd: inRoot(root, workdir), env: { PATH: systemPath, PYTHONDONTWRITEBYTECODE: '1', ...offlinePip(pypi), ...imageEnv } });
        }
      }
    }
    makeReadable(stage);
    // tini forwards signals as PID 1; it is not on this machine: the entrypoint it execs runs.
    assert.is(entrypoint.slice(0, 2).join(' '), 'tini --');
    return { root, imageEnv, entrypoint: entrypoint.slice(2), cmd, volumeTarget, workdir };
  };

  // docker run as the README's "Build for production" says: its -e variables, its -v volume.
  const readme = repository.read('README.md');
  const runLine = /^docker run --rm -p (?:[^\n]*\\\n)*[^\n]*/m.exec(readme)![0];
  const variables = Object.fromEntries([...runLine.matchAll(/-e (\w+)=(\S+)/g)].map(([, name, value]) => [name!, value!]));
  const required = [...repository.read('.env.example').matchAll(/^(\w+)=/gm)].map(([, name]) => name!);
  assert.equal(required.filter(name => !(name in variables)), [], 'the README\'s docker run sets every variable .env.example requires');
  assert.match(runLine, /-v blog-data:\/var\/lib\/blog/);

  const container = (image: ReturnType<typeof build>, args: string[], extra: Record<string, string> = {}) => {
    // The named volume: a new one starts with the image's folder (its owner and mode), then outlives containers.
    const mountPoint = inRoot(image.root, image.volumeTarget);
    if (!existsSync(volume)) {
      mkdirSync(dirname(volume), { recursive: true });
      cpSync(mountPoint, volume, { recursive: true, preserveTimestamps: true });
      runTool('chown', [`${appUid}:${appUid}`, volume]);
    }
    rmSync(mountPoint, { recursive: true, force: true });
    symlinkSync(volume, mountPoint);
    const env = { PATH: systemPath, LANG: 'C.UTF-8', ...image.imageEnv, ...Object.fromEntries(Object.entries({ ...variables, ...extra }).map(([name, value]) => [name, inRoot(image.root, value)])) };
    const command = [...image.entrypoint, ...(args.length > 0 ? args : image.cmd)].map(word => inRoot(image.root, word));
    return { command, env, cwd: inRoot(image.root, image.workdir) };
  };
  const manage = (image: ReturnType<typeof build>, args: string[], extra: Record<string, string> = {}) => {
    const { command, env, cwd } = container(image, ['python', 'manage.py', ...args], extra);
    const [program, programArgs] = unprivileged(command[0]!, command.slice(1));
    return runTool(program, programArgs, { cwd, env });
  };
  const serve = async (image: ReturnType<typeof build>) => {
    const { command, env, cwd } = container(image, []);
    // The deployment's uWSGI variables (.env.example): the test's port, the code where this root has it.
    service = await onFreePort(port => startService(command[0]!, command.slice(1), { cwd, env: { ...env, UWSGI_HTTP_SOCKET: `127.0.0.1:${port}`, UWSGI_CHDIR: cwd }, url: `http://127.0.0.1:${port}/healthz` }));
    const health = await fetch(service.url);
    const home = await fetch(new URL('/', service.url));
    // The static files collectstatic gathered at build time, served by uWSGI's static-map.
    const staticFile = await fetch(new URL('/static/admin/css/base.css', service.url));
    return { health: `${health.status} ${await health.text()}`, home: home.status, message: ((await home.json()) as { message: string }).message, static: staticFile.status };
  };
  const stop = async () => {
    const output = service?.output() ?? '';
    if (service) await stopQuickly(service);
    service = undefined;
    return output;
  };

  try {
    // v1.0.0: built, started (migrated on start), served; a user created through the entrypoint.
    tagRelease(repository.dir, 'v1.0.0');
    const first = build('1.0.0');
    assert.equal(await serve(first), { health: '200 ok', home: 200, message: 'hello world', static: 200 });
    assert.match(await stop(), /Applying auth\.0001_initial\.\.\. OK/, 'the entrypoint migrates before the server starts');
    assert.ok(existsSync(join(volume, 'db.sqlite3')), 'DATABASE_URL puts the database in the volume');
    manage(first, ['createsuperuser', '--noinput', '--username', 'keeper', '--email', 'keeper@example.com']);

    // v1.1.0, with a visible change: its own root beside the first, started on the same volume.
    const views = join(repository.dir, 'blog/views.py');
    writeFileSync(views, readFileSync(views, 'utf8').replace('"hello world"', '"hello world, again"'));
    tagRelease(repository.dir, 'v1.1.0');
    const second = build('1.1.0');
    assert.equal(await serve(second), { health: '200 ok', home: 200, message: 'hello world, again', static: 200 });
    assert.match(await stop(), /No migrations to apply/);

    // Roll back: the v1.0.0 image again, on the same volume.
    assert.equal(await serve(first), { health: '200 ok', home: 200, message: 'hello world', static: 200 });
    await stop();
    // DJANGO_MIGRATE_ON_START=false: the entrypoint runs the command alone (its output is the data).
    const users = JSON.parse(manage(first, ['dumpdata', 'auth.user'], { DJANGO_MIGRATE_ON_START: 'false' })) as Array<{ fields: { username: string; email: string } }>;
    assert.equal(users.map(user => [user.fields.username, user.fields.email]), [['keeper', 'keeper@example.com']], 'v1.0.0 reads the user it wrote, after v1.1.0 ran on the volume');
    console.log(`wpmedia-django release rehearsal: ${Date.now() - started} ms`);
  } finally {
    await stop();
    rmSync(stage, { recursive: true, force: true });
    repository.cleanup();
  }
});

test.run();
