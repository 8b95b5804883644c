import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import { toolError } from './tools.js';

const asRoot = process.getuid?.() === 0;
/** The unprivileged user services run as when the tests run as root (CI). */
export const serviceUid = 1000;

/**
 * A TCP port nothing listened on a moment ago. Another process may take it before the server
 * binds it: start servers through `onFreePort`, which tries another port when that happens.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Start a server on a free port; if the port was taken before the server bound it, try another (up to 5 times). */
export async function onFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= 5 || !/address already in use|EADDRINUSE|Errno 98/i.test((error as Error).message)) throw error;
    }
  }
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
  return asRoot ? ['setpriv', [`--reuid=${serviceUid}`, `--regid=${serviceUid}`, '--clear-groups', command, ...args]] : [command, args];
}

export interface RunningService {
  url: string;
  process: ChildProcess;
  output(): string;
  /** Send SIGTERM and resolve with the milliseconds it took to exit (killed after 15 s). */
  stop(): Promise<number>;
}

/**
 * GET a path of a running server as a probe or a client would send it, with the Host header
 * given (fetch always sends the URL's own): a Kubernetes probe names the pod's address, a
 * client behind a proxy the public name. Redirects are not followed.
 */
export function getWithHost(url: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers: { ...headers, Host: host }, signal: AbortSignal.timeout(30_000) }, response => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, location: response.headers.location, body }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** Stop a service; fail, with its output, if that took docker stop's grace period (10 s) or more. */
export async function stopQuickly(server: RunningService): Promise<void> {
  const stopped = await server.stop();
  if (stopped >= 10_000) throw new Error(`stopped only after ${stopped} ms (SIGTERM; SIGKILL at 15 s):\n${server.output()}`);
}

/** The pids of a process and all its descendants (uWSGI's master forks its workers). */
function processTree(root: number): Set<number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const [pid, parent] of parents) if (tree.has(parent) && !tree.has(pid)) grown = tree.add(pid).size > 0;
  }
  return tree;
}

/** Whether one of these processes holds a socket listening on the TCP port (from /proc: no race with another listener). */
function listensOn(pids: Set<number>, port: number): boolean {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && parseInt(fields[1]?.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]!);
    }
  }
  if (inodes.size === 0) return false;
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (link && inodes.has(link[1]!)) return true;
      }
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

/** The real uid a process runs as (/proc/<pid>/status). */
function processUid(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/**
 * Start a server process as an unprivileged user (uid 1000 when the tests run as root, the
 * tests' own user otherwise; never root), wait until it listens on the port of `url` (the socket
 * must be its own), then until `url` answers. Fails with its output if it exits first. `tool`:
 * a server the tests use (a package registry), run as the tests' own user.
 */
export async function startService(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; url: string; wrap?: (command: string, args: string[]) => [string, string[]]; tool?: boolean }): Promise<RunningService> {
  if (!options.tool) makeReadable(options.cwd);
  const [program, programArgs] = options.tool ? [command, args] : (options.wrap ?? unprivileged)(command, args);
  const child = spawn(program, programArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let failure: Error | undefined;
  child.once('error', error => (failure = (error as NodeJS.ErrnoException).code === 'ENOENT' ? toolError(program) : error));
  const exited = new Promise<void>(resolve => child.once('close', () => resolve()));
  const port = Number(new URL(options.url).port);
  const alive = () => failure === undefined && child.exitCode === null && child.signalCode === null;
  const started = Date.now();
  // Waits on the process: it listens, or it exits. The bound only keeps a hung server from hanging the suite.
  while (alive() && !listensOn(processTree(child.pid!), port)) {
    if (Date.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`${command} neither listened on port ${port} nor exited within 120 s:\n${output}`);
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  if (!alive()) {
    await exited;
    throw failure ?? new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before serving:\n${output}`);
  }
  const service: RunningService = {
    url: options.url,
    process: child,
    output: () => output,
    stop: async () => {
      const stopping = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      return Date.now() - stopping;
    },
  };
  try {
    if (!options.tool && processUid(child.pid!) === 0) throw new Error(`${command} runs as root: services in these tests run unprivileged`);
    // Listening, the server answers once its application has loaded (no fixed deadline: it is its own).
    await fetch(options.url, { redirect: 'manual', signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    await service.stop();
    throw new Error(`${command}: ${(error as Error).message}\n${output}`);
  }
  return service;
}
/** Serve a generated repository with Debian's uWSGI from its uwsgi.ini, overriding only the socket and chdir. */
export function startUwsgi(dir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningService> {
  return onFreePort(port =>
    startService('uwsgi', ['--plugins', 'python3,http', '--ini', 'uwsgi.ini'], {
      cwd: dir,
      env: { PATH: process.env.PATH, ...env, UWSGI_CHDIR: dir, UWSGI_HTTP_SOCKET: `127.0.0.1:${port}` },
      url: `http://127.0.0.1:${port}/`,
    }),
  );
}

/**
 * What is wrong with a uwsgi.ini beyond what uWSGI rejects: the defects found by running it
 * (options read from variables nothing sets, no die-on-term, no bound on how long a stop waits
 * for a worker still loading the app, an http-socket with the router's proxy option, a locale
 * the image lacks, a pid file another local user can create or replace first). Empty: none found.
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
  for (const [key, value] of options.filter(([key]) => /^(safe-)?pidfile2?$/.test(key))) {
    if (inSharedFolder(value)) problems.push(`${key} = ${value}: a folder any local user can write, who can create or link that path first; leave the pid file out or put it in a private runtime folder (systemd RuntimeDirectory=)`);
  }
  return problems;
}

/** Folders every user may write on a usual Linux host, whether or not this machine has them. */
const sharedFolders = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock', '/var/lock'];

/**
 * Whether another local user could make or replace a path first: it sits directly in a folder
 * anyone may write (a usual shared one, or a world-writable one here), below a folder that does
 * not exist under a shared one (anyone may make it), or below a world-writable folder without the
 * sticky bit (anyone may rename what is in it). A private folder inside /tmp is not shared.
 */
function inSharedFolder(path: string): boolean {
  if (!isAbsolute(path)) return false;
  const parent = dirname(path);
  const underShared = (folder: string) => sharedFolders.some(shared => folder.startsWith(`${shared}/`));
  for (let folder = parent; ; folder = dirname(folder)) {
    if (sharedFolders.includes(folder)) return folder === parent;
    const stat = statSync(folder, { throwIfNoEntry: false });
    if (!stat) {
      if (underShared(folder)) return true;
    } else if ((stat.mode & 0o002) !== 0 && (folder === parent || (stat.mode & 0o1000) === 0)) {
      return true;
    }
    if (folder === dirname(folder)) return false;
  }
}
