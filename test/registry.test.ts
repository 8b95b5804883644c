// Proved with a real registry: verdaccio on 127.0.0.1 with temporary storage; pyrepo's packages
// and a team preset and generator made by `pyrepo init` are published to it; a fresh npm prefix
// installs them from it only (third-party packages come through it from npmjs.org); then
// `pyrepo new @acme/web` and `yo pyrepo --preset @acme/web` run from that install, and what they
// write passes the same real-tool checks as the base preset. Then the update story on packages
// from the registry: the team preset and generator of test/fixtures/update, v1 published and
// installed in a project folder with npm, a repository generated with it, v2 published (check
// --outdated names it), installed, and `pyrepo update --to 2.0.0` (test/helpers/update-scenario.ts).
// Needs the network to npmjs.org; takes a few minutes (the install).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRepositories, onFreePort, readTree, startService, type RunningService } from '@pyrepo/testing';
import { cliEnv, fixtures, pyrepo as workspacePyrepo, repoRoot, type CliResult } from './helpers/cli.js';
import { updateV1ToV2, yoRc } from './helpers/update-scenario.js';
import { asRoot, yoBin } from './helpers/yo.js';

const work = mkdtempSync(join(tmpdir(), 'pyrepo-registry-'));
// yo, run as root, switches to uid 1000, which must reach the install and the target.
chmodSync(work, 0o755);
const prefix = join(work, 'prefix');
const npmrc = join(work, 'npmrc');
let registry = '';
let verdaccio: RunningService | undefined;

test.after(async () => {
  await verdaccio?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** npm, with the registry's config only (no user or global .npmrc), bounded in time. */
function npm(args: string[], cwd: string, timeout = 120_000) {
  const result = spawnSync('npm', [...args, '--userconfig', npmrc, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, npm_config_registry: registry, npm_config_globalconfig: join(work, 'no-global-npmrc'), npm_config_cache: join(work, 'npm-cache') },
  });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed:\n${result.stdout}${result.stderr}${result.error ?? ''}`);
  return result.stdout;
}

/** Verdaccio on a free port of 127.0.0.1, with temporary storage and one user; the npmrc that publishes as that user. */
async function startRegistry(): Promise<void> {
  const ours = { access: '$all', publish: '$authenticated' };
  verdaccio = await onFreePort(port => {
    // pyrepo's and the team's names are served from here only; everything else through npmjs.org.
    writeFileSync(
      join(work, 'config.yaml'),
      [
        `storage: ${join(work, 'storage')}`,
        `auth: { htpasswd: { file: ${join(work, 'htpasswd')}, max_users: 10 } }`,
        'uplinks: { npmjs: { url: "https://registry.npmjs.org/", timeout: 60s, agent_options: { keepAlive: true, maxSockets: 50 } } }',
        'packages:',
        ...['"@pyrepo/*"', '"@acme/*"', 'pyrepo', 'generator-pyrepo'].map(name => `  ${name}: ${JSON.stringify(ours)}`),
        `  "**": ${JSON.stringify({ ...ours, proxy: 'npmjs' })}`,
        `listen: 127.0.0.1:${port}`,
        'log: { type: stdout, format: pretty, level: error }',
      ].join('\n'),
    );
    return startService(join(repoRoot, 'test', 'node_modules', '.bin', 'verdaccio'), ['--config', join(work, 'config.yaml')], { cwd: work, env: process.env, url: `http://127.0.0.1:${port}/-/ping`, tool: true });
  });
  registry = verdaccio.url.replace(/-\/ping$/, '');
  const port = new URL(registry).port;
  const response = await fetch(`${registry}-/user/org.couchdb.user:ci`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', password: 'ci-password', email: 'ci@example.invalid' }),
  });
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio gave no token for publishing (HTTP ${response.status})`);
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
}

/** Run a command to its end, bounded in time; its output comes with a failure. */
function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, timeout: 120_000 });
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    child.on('close', code => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited ${code}:\n${output}`))));
  });
}

/** pyrepo's packages and a team preset and generator made by pyrepo init, published to the registry. */
async function publish(): Promise<void> {
  // What `npm i -g pyrepo` needs: the CLI, core, the Yeoman entry and every built-in. pnpm pack
  // writes the versions of workspace: dependencies into each package.json; npm publishes.
  const folders = (parent: string) => readdirSync(parent).map(name => join(parent, name));
  const dirs = [...['core', 'generator-pyrepo', 'cli'].map(name => join(repoRoot, 'packages', name)), ...folders(join(repoRoot, 'packages', 'generators')), ...folders(join(repoRoot, 'presets'))];
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const pnpm = join(repoRoot, 'node_modules', '.bin', 'pnpm');
  for (let start = 0; start < dirs.length; start += 4) {
    await Promise.all(dirs.slice(start, start + 4).map(dir => run(pnpm, ['pack', '--pack-destination', tarballs], dir)));
  }
  const packed = readdirSync(tarballs);
  if (packed.length !== dirs.length) throw new Error(`pnpm pack made ${packed.length} archives for ${dirs.length} packages: ${packed.join(', ')}`);
  for (let start = 0; start < packed.length; start += 4) {
    await Promise.all(packed.slice(start, start + 4).map(file => run('npm', ['publish', join(tarballs, file), '--userconfig', npmrc, `--registry=${registry}`, '--loglevel=error'], work)));
  }

  const team = join(work, 'team');
  mkdirSync(team);
  for (const args of [['init', 'generator', '@acme/sentry', '--dir', join(team, 'sentry')], ['init', 'preset', '@acme/web', '--dir', join(team, 'web'), '--extends', 'wpmedia-django']]) {
    const result = workspacePyrepo(args, team);
    if (result.code !== 0) throw new Error(`pyrepo ${args.join(' ')} failed:\n${result.stderr}`);
  }
  // The team's changes: its generator in the preset, and its own uwsgi.ini template.
  const presetFile = join(team, 'web', 'preset.json');
  writeFileSync(presetFile, JSON.stringify({ ...JSON.parse(readFileSync(presetFile, 'utf8')), templates: { uwsgi: './templates/uwsgi' }, generators: [['@acme/sentry', { owner: 'Team Web' }]] }, null, 2));
  const wpmediaUwsgi = readFileSync(join(repoRoot, 'packages', 'generators', 'uwsgi', 'templates', 'uwsgi.ini.ejs'), 'utf8');
  mkdirSync(join(team, 'web', 'templates', 'uwsgi'), { recursive: true });
  writeFileSync(join(team, 'web', 'templates', 'uwsgi', 'uwsgi.ini.ejs'), wpmediaUwsgi.replace(/\n/, '\n; acme: our uwsgi.ini, from the team preset\n'));
  for (const name of ['sentry', 'web']) npm(['publish'], join(team, name));
  publishUpdateFixtures(1);
}

/** The team preset and generator of the update test (test/fixtures/update) at a version: the generator first, as the preset depends on it. */
function publishUpdateFixtures(version: 1 | 2): void {
  for (const name of ['ops', 'preset']) npm(['publish', join(fixtures, 'update', `${name}-v${version}`)], work);
}

// The registry, the packages on it and their install into a fresh prefix, once; each test uses that install.
test.before(async () => {
  await startRegistry();
  await publish();
  mkdirSync(prefix);
  npm(['install', '--global', '--prefix', prefix, 'pyrepo', '@acme/pyrepo-preset-web', '@acme/pyrepo-generator-sentry'], work, 420_000);
});

/** The pyrepo of that install; its npm (check --outdated) asks the test registry. */
function installedPyrepo(args: string[], cwd: string): CliResult {
  const env = cliEnv({ npm_config_prefix: prefix, PYREPO_CACHE_DIR: join(work, 'cache'), npm_config_userconfig: npmrc, npm_config_registry: registry, npm_config_cache: join(work, 'npm-cache') });
  const result = spawnSync(join(prefix, 'bin', 'pyrepo'), args, { cwd, encoding: 'utf8', timeout: 120_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `pyrepo new @acme/web --trust` from the install, into a new folder. */
function newFromInstall(name: string): { result: CliResult; dir: string } {
  return { result: installedPyrepo(['new', '@acme/web', name, '--yes', '--skip-install', '--trust'], work), dir: join(work, name) };
}

test('a fresh prefix installs pyrepo and the team packages from the registry only', () => {
  assert.ok(existsSync(join(prefix, 'bin', 'pyrepo')));
  const list = spawnSync(join(prefix, 'bin', 'pyrepo'), ['list'], { cwd: work, encoding: 'utf8', env: { ...process.env, npm_config_prefix: prefix, PYREPO_CACHE_DIR: join(work, 'cache') } });
  assert.is(list.status, 0, list.stderr);
  // Installed globally next to pyrepo: found there, and not trusted until the user says so.
  const global = join(prefix, 'lib', 'node_modules');
  assert.match(list.stdout, new RegExp(`@acme/web +A pyrepo preset built on wpmedia-django\\n +\\(@acme/pyrepo-preset-web@0\\.1\\.0\\)\\n +in ${global}/@acme/pyrepo-preset-web \\(not trusted`));
  assert.match(list.stdout, new RegExp(`@acme/sentry +A pyrepo generator\\n +\\(@acme/pyrepo-generator-sentry@0\\.1\\.0\\)\\n +in ${global}/@acme/pyrepo-generator-sentry \\(not trusted`));
  assert.match(list.stdout, new RegExp(`wpmedia-django .*\\n +\\(built-in @pyrepo/preset-wpmedia-django@0\\.1\\.0\\)\\n +in ${global}/\\S*@pyrepo/preset-wpmedia-django\\n`));
});

test('pyrepo new @acme/web --trust from that install writes the team generator\'s file and template, and passes the real-tool checks', () => {
  const { result, dir: shop } = newFromInstall('shop');
  assert.is(result.code, 0, `${result.stdout}${result.stderr}`);
  assert.match(readFileSync(join(shop, 'docs', 'OWNERS.md'), 'utf8'), /Team Web owns this repository/);
  assert.match(readFileSync(join(shop, 'uwsgi.ini'), 'utf8'), /; acme: our uwsgi\.ini, from the team preset/);
  assert.equal(checkRepositories([shop]), []);
});

test('yo pyrepo --preset @acme/web --trust, with generator-pyrepo from that install, writes the same repository', () => {
  const home = join(work, 'yo-home');
  const target = join(work, 'yo', 'shop-for-yo');
  mkdirSync(home);
  mkdirSync(target, { recursive: true });
  // yo refuses to run as root and switches to uid 1000, which must own what it writes.
  if (asRoot) for (const dir of [home, join(work, 'yo'), target]) chownSync(dir, 1000, 1000);
  // The workspace's yo 7 (installing yo too would double the install); it finds generator-pyrepo
  // in the prefix's global node_modules, as after `npm i -g pyrepo yo`.
  const result = spawnSync(yoBin, ['pyrepo', '--preset', '@acme/web', '--yes', '--skip-install', '--trust'], {
    cwd: target,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, HOME: home, npm_config_prefix: prefix, NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0', PATH: `${join(prefix, 'bin')}:${process.env.PATH}` },
  });
  assert.is(result.status, 0, `${result.stdout}${result.stderr}`);
  const viaCli = newFromInstall('shop-for-yo');
  assert.is(viaCli.result.code, 0, `${viaCli.result.stdout}${viaCli.result.stderr}`);
  assert.equal(readTree(target), readTree(viaCli.dir));
});

interface OutdatedReport {
  status: string;
  newer: Array<{ entry: string; package: string; recorded: string; newest: string }>;
}

test('a team preset updated from v1 to v2 through the registry: installed with npm, recorded by name and version; check --outdated 0, then 6 naming v2; update --to 2.0.0 keeps every user line, one conflict, exit 1, --continue, check green, red after an unrecorded edit', async () => {
  // The folder where the user installs the team's packages with npm, the repository beside them.
  const project = join(work, 'service');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
  npm(['install', '@acme/pyrepo-preset-service@1'], project);
  const run = (...args: string[]) => installedPyrepo([...args, '--dir', 'app'], project);
  const created = installedPyrepo(['new', '@acme/service', 'app', '--yes', '--trust', '--skip-install', '--skip-git', '--owner', 'Team Web'], project);
  assert.is(created.code, 0, created.stdout + created.stderr);
  const app = join(project, 'app');
  // The registry joins the label only where npm's hidden lockfile (node_modules/.package-lock.json)
  // records the URL it resolved: npm 10 here leaves `resolved` out.
  const installed = (name: string, version: string) => new RegExp(`^package ${name}@${version.replaceAll('.', '\\.')}( from ${registry.replaceAll('.', '\\.')})?$`);
  assert.match(yoRc(app).versions!['preset @acme/service']!, installed('@acme/pyrepo-preset-service', '1.0.0'));
  assert.match(yoRc(app).versions!['generator @acme/ops']!, installed('@acme/pyrepo-generator-ops', '1.0.0'));
  const outdated = () => {
    const result = run('check', '--trust', '--outdated', '--format', 'json');
    return { code: result.code, report: JSON.parse(result.stdout || '{}') as OutdatedReport, output: result.stdout + result.stderr };
  };
  const current = outdated();
  assert.is(current.code, 0, current.output);
  assert.equal(current.report.newer, [], 'nothing newer in the registry');

  await updateV1ToV2(
    app,
    run,
    () => {
      publishUpdateFixtures(2);
      const behind = outdated();
      assert.is(behind.code, 6, behind.output);
      assert.is(behind.report.status, 'outdated');
      assert.equal(behind.report.newer, [
        { entry: 'generator @acme/ops', package: '@acme/pyrepo-generator-ops', recorded: '1.0.0', newest: '2.0.0' },
        { entry: 'preset @acme/service', package: '@acme/pyrepo-preset-service', recorded: '1.0.0', newest: '2.0.0' },
      ]);
      npm(['install', '@acme/pyrepo-preset-service@2'], project);
      const notInstalled = run('update', '--yes', '--trust', '--to', '3.0.0');
      assert.is(notInstalled.code, 2, notInstalled.stderr);
      assert.match(notInstalled.stderr, /--to 3\.0\.0: the installed preset is @acme\/pyrepo-preset-service@2\.0\.0/);
    },
    ['--to', '2.0.0'],
  );
  assert.match(yoRc(app).versions!['preset @acme/service']!, installed('@acme/pyrepo-preset-service', '2.0.0'));
  // The scenario ends on an unrecorded edit of uwsgi.ini; accepted, the repository is current.
  assert.is(run('accept', 'app/uwsgi.ini').code, 0);
  const updated = outdated();
  assert.is(updated.code, 0, updated.output);
  assert.equal(updated.report.newer, []);
});

test.run();
