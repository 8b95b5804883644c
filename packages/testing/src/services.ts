import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

const asRoot = process.getuid?.() === 0;

/** A TCP port nothing listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Let an unprivileged user read a generated tree (tests run as root in CI; services must not). */
export function makeReadable(dir: string): void {
  if (!asRoot) return;
  chmodSync(dir, statSync(dir).mode | 0o005);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) makeReadable(path);
    else chmodSync(path, stat.mode | 0o004);
  }
}

/** The command line that runs a program as uid/gid 1000 when the tests run as root (setpriv, util-linux). */
export function unprivileged(command: string, args: string[]): [string, string[]] {
  return asRoot ? ['setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', command, ...args]] : [command, args];
}

export interface RunningService {
  url: string;
  process: ChildProcess;
  output(): string;
  /** Send SIGTERM and resolve with the milliseconds it took to exit (killed after 15 s). */
  stop(): Promise<number>;
}

/** Stop a service; fail, with its output, if that took docker stop's grace period (10 s) or more. */
export async function stopQuickly(server: RunningService): Promise<void> {
  const stopped = await server.stop();
  if (stopped >= 10_000) throw new Error(`stopped only after ${stopped} ms (SIGTERM; SIGKILL at 15 s):\n${server.output()}`);
}

/** Start a server process (as uid 1000 when the tests run as root) and wait until `url` answers (or fail with its output). */
export async function startService(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; url: string }): Promise<RunningService> {
  makeReadable(options.cwd);
  const [program, programArgs] = unprivileged(command, args);
  const child = spawn(program, programArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before serving:\n${output}`);
    try {
      await fetch(options.url, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${command} did not answer ${options.url} within 20 s:\n${output}`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
  return {
    url: options.url,
    process: child,
    output: () => output,
    stop: async () => {
      const started = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      return Date.now() - started;
    },
  };
}

/** The settings of a unit's [Service] section: last value wins, Environment= lines add up. */
function serviceSettings(text: string): { values: Map<string, string>; environment: Record<string, string> } {
  const values = new Map<string, string>();
  const environment: Record<string, string> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) section = header[1]!;
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (section !== 'Service' || !setting) continue;
    const [, key, value] = setting as unknown as [string, string, string];
    if (key === 'Environment') {
      if (/["'\s]/.test(value.replace(/^[^=]*=/, ''))) throw new Error(`Environment=${value}: quoting is not simulated`);
      const [name = '', ...rest] = value.split('=');
      environment[name] = rest.join('=');
    } else values.set(key, value);
  }
  return { values, environment };
}

/**
 * Start what a systemd unit runs, the way systemd would on a server: its ExecStart, in its
 * WorkingDirectory, as an unprivileged user (its User=; uid 1000 here), with systemd's minimal
 * environment plus its Environment= lines and STATE_DIRECTORY. `release` stands in for the
 * WorkingDirectory (the deployed release), which the service can read but not write; the
 * StateDirectory is a fresh folder it owns, the one place it may write. `env` overrides
 * (the port, so tests do not collide).
 */
export async function startSystemdUnit(unitPath: string, options: { release: string; url: string; env?: Record<string, string> }): Promise<RunningService> {
  const { values, environment } = serviceSettings(readFileSync(unitPath, 'utf8'));
  const workingDirectory = values.get('WorkingDirectory');
  const execStart = values.get('ExecStart');
  if (!workingDirectory || !execStart || !values.get('User')) throw new Error(`${unitPath}: the simulation needs WorkingDirectory, ExecStart and User`);
  const state = mkdtempSync(join(tmpdir(), 'pyrepo-state-'));
  if (asRoot) chownSync(state, 1000, 1000);
  const stateDirectory = values.get('StateDirectory');
  const mapPaths = (value: string) => {
    let mapped = value.replaceAll(workingDirectory, options.release);
    if (stateDirectory) mapped = mapped.replaceAll(`/var/lib/${stateDirectory}`, state);
    return mapped;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin',
    LANG: 'C.UTF-8',
    HOME: '/nonexistent',
    ...Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, mapPaths(value)])),
    ...(stateDirectory ? { STATE_DIRECTORY: state } : {}),
    ...options.env,
  };
  const [command = '', ...args] = mapPaths(execStart.replace(/^[-@:+!]+/, '')).split(/\s+/);
  try {
    const service = await startService(command, args, { cwd: options.release, env, url: options.url });
    return { ...service, stop: () => service.stop().finally(() => rmSync(state, { recursive: true, force: true })) };
  } catch (error) {
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
}

/** Serve a generated repository with Debian's uWSGI from its uwsgi.ini, overriding only the socket and chdir. */
export async function startUwsgi(dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  const port = await freePort();
  return startService('uwsgi', ['--plugins', 'python3,http', '--ini', 'uwsgi.ini'], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env, UWSGI_CHDIR: dir, UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` },
    url: `http://127.0.0.1:${port}/`,
  });
}

/**
 * What is wrong with a uwsgi.ini beyond what uWSGI rejects: the defects found by running it
 * (options read from variables nothing sets, no die-on-term, no bound on how long a stop waits
 * for a worker still loading the app, an http-socket with the router's proxy option, a locale
 * the image lacks). Empty: none found.
 */
export function checkUwsgiIni(text: string): string[] {
  const problems: string[] = [];
  let guarded = false;
  const options: Array<[string, string]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const [key = '', ...rest] = line.split('=');
    const name = key.trim();
    const value = rest.join('=').trim();
    if (name === 'if-env' || name === 'if-not-env') guarded = true;
    else if (name === 'endif') guarded = false;
    else {
      options.push([name, value]);
      const variable = /\$\((\w+)\)/.exec(value);
      if (variable && !guarded) problems.push(`${name} = ${value}: reads $(${variable[1]}) with no default; unset, it is empty (processes = 0 starts no worker)`);
    }
  }
  const has = (name: string) => options.some(([key, value]) => key === name && !/^(false|0)$/i.test(value));
  if (!has('die-on-term')) problems.push('no die-on-term: uWSGI 2.0 reloads on SIGTERM, so docker stop ends in SIGKILL');
  if (!has('master')) problems.push('no master process');
  const mercy = options.find(([key]) => key === 'worker-reload-mercy')?.[1];
  if (mercy === undefined || !(Number(mercy) <= 8)) problems.push('worker-reload-mercy unset or over 8 s: a worker that misses SIGINT while it loads the app holds a stop for that long (60 s unset), past docker stop\'s 10 s');
  if (has('http-socket') && has('http-enable-proxy-protocol')) problems.push('http-enable-proxy-protocol only affects the http router, not http-socket: use enable-proxy-protocol');
  for (const [, value] of options.filter(([key]) => key === 'env')) {
    const lang = /^LANG=(.*)$/.exec(value);
    if (lang && !/^C\.UTF-8$/i.test(lang[1]!)) problems.push(`env = ${value}: the slim images have no ${lang[1]} locale`);
  }
  return problems;
}
