// Release rehearsals: build a release as the repository's pipeline does, deploy it with its own
// deploy script to a server that is this machine, restart the service the way its unit does.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { python, runPipeline, runTool } from './checks.js';
import { freePort, stopQuickly } from './services.js';
import { startSystemdUnit, type RunningUnit } from './systemd.js';

/** The release steps of each Jenkinsfile text: Groovy starts a JVM, and a rehearsal builds twice. */
const releaseSteps = new Map<string, string[]>();

/**
 * Build the release of `dir` (committed and tagged) as its Jenkinsfile does on a tag: every
 * shell step of the stages a tag build runs after `Test`, in order, in `dir`. The Test stage is
 * stood in for: its `.ci-venv` is made from Debian's Python and sees its packages (pip, build,
 * setuptools-scm) instead of installing the development requirements from PyPI, and `python -m
 * build` gets `--no-isolation` (its isolated environment would install the build requirements
 * from PyPI). Returns the shell steps it ran.
 */
export function buildAsPipeline(dir: string, env: NodeJS.ProcessEnv): string[] {
  const jenkinsfile = readFileSync(join(dir, 'Jenkinsfile'), 'utf8');
  let steps = releaseSteps.get(jenkinsfile);
  if (!steps) {
    steps = runPipeline(join(dir, 'Jenkinsfile'), 'tag').sh.filter(step => step.stage.startsWith('Release')).map(step => step.script.replace(/-m build --sdist\b/, '-m build --sdist --no-isolation'));
    releaseSteps.set(jenkinsfile, steps);
  }
  if (steps.length === 0) throw new Error(`${dir}/Jenkinsfile: a tag build runs no release step`);
  runTool(python, ['-m', 'venv', '--clear', '--system-site-packages', '--without-pip', '.ci-venv'], { cwd: dir, env });
  for (const script of steps) runTool('sh', ['-euc', script], { cwd: dir, env });
  return steps;
}

/** Run a program without blocking this process (a stand-in server answers it meanwhile): its status and output. */
export function runAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', status => resolve({ status, output }));
  });
}

/** A server for a deploy script, on this machine; `env` puts its tools first on PATH. */
export interface StandInServer {
  env: NodeJS.ProcessEnv;
  /** The `systemctl` commands it was given, in order ("restart shop"). */
  commands: string[];
  close(): Promise<void>;
}

/**
 * A server for a deploy script, on this machine: `ssh HOST COMMAND` runs the command in a local
 * shell (its input passed on), `sudo` runs its command, and `systemctl ACTION UNIT` asks this
 * process, which runs `systemctl` (stop the service, start it again as its unit does) before the
 * command returns, as systemctl does. The tools are files in `stage`/bin; `systemctl` reaches this
 * process over HTTP on 127.0.0.1 with curl. Run the deploy script with `runAsync`.
 */
export async function standInServer(stage: string, systemctl: (action: string, unit: string) => Promise<void>): Promise<StandInServer> {
  const commands: string[] = [];
  const control = createServer((request, response) => {
    const [action = '', unit = ''] = decodeURIComponent((request.url ?? '').slice(1)).split(' ');
    commands.push(`${action} ${unit}`);
    systemctl(action, unit).then(
      () => response.end(),
      (error: Error) => {
        response.statusCode = 500;
        response.end(`${error.message}\n`);
      },
    );
  });
  await new Promise<void>(resolve => control.listen(0, '127.0.0.1', resolve));
  const port = (control.address() as AddressInfo).port;
  const bin = join(stage, 'bin');
  mkdirSync(bin, { recursive: true });
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nset -eu\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool('ssh', 'shift\nexec sh -c "$1"');
  tool('sudo', 'exec "$@"');
  tool('systemctl', `exec curl --fail-with-body --silent --show-error --max-time 150 "http://127.0.0.1:${port}/$1%20$2"`);
  return {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    commands,
    close: () => new Promise(resolve => control.close(() => resolve())),
  };
}

/** A scratch server whose service is a repository's systemd unit, run from what `current` points at. */
export interface UnitServer {
  /** The service's folder on the server, /srv/<name> in production. */
  root: string;
  /** Where the service answers: http://127.0.0.1:<port>. */
  base: string;
  /** The `systemctl` commands deploy.sh gave ("restart shop"), in order. */
  commands: string[];
  /** Run the repository's scripts/deploy.sh against this server, in `env` (HEALTH_TRIES...). */
  deploy(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }>;
  /** Stop the service and the stand-in tools, and remove the server's folder. */
  close(): Promise<void>;
}

/**
 * The server a release rehearsal deploys to: a stand-in server (see standInServer) whose
 * `systemctl restart <name>` stops the running service and starts `deploy/<name>.service` of
 * `repository` again on the release `current` points at, as systemd resolves the unit's paths when
 * it starts. `unitEnv` gives the unit's service the port it must listen on.
 */
export async function unitServer(repository: string, name: string, unitEnv: (port: number) => Record<string, string>): Promise<UnitServer> {
  const stage = mkdtempSync(join(tmpdir(), 'pyrepo-rehearsal-'));
  const root = join(stage, 'srv', name);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let service: RunningUnit | undefined;
  const server = await standInServer(stage, async (action, unit) => {
    if (action !== 'restart' || unit !== name) throw new Error(`unexpected systemctl ${action} ${unit}`);
    if (service) await stopQuickly(service);
    service = undefined;
    service = await startSystemdUnit(join(repository, 'deploy', `${name}.service`), { release: realpathSync(join(root, 'current')), url: `${base}/healthz`, env: unitEnv(port) });
  });
  return {
    root,
    base,
    commands: server.commands,
    deploy: (args, env) =>
      runAsync('scripts/deploy.sh', args, { cwd: repository, env: { ...env, PATH: `${join(stage, 'bin')}:${env.PATH ?? process.env.PATH}`, DEPLOY_ROOT: root, HEALTH_URL: `${base}/healthz` } }),
    close: async () => {
      if (service) await stopQuickly(service);
      await server.close();
      rmSync(stage, { recursive: true, force: true });
    },
  };
}
