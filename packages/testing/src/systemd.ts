import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { isExecutableFile } from '@pyrepo/core';
import { runTool } from './checks.js';
import { toolError } from './tools.js';
import { makeReadable, serviceUid, startService, type RunningService } from './services.js';

/** The highest exposure `systemd-analyze security` may rate a generated unit ("OK" or better). */
export const maxSystemdExposure = 2.5;

/**
 * `systemd-analyze verify` of many units in one scratch root (the system's units), then each
 * unit's exposure, which must be `maxSystemdExposure` or better. With a `release` (this machine
 * standing in for the server, the release for the WorkingDirectory), every program an Exec*=
 * line runs is checked where it will be: a system path must be an executable here; a path inside
 * the WorkingDirectory must be an executable in the release, and every other release path the
 * command line names must exist there. Without one (a path the user chose may exist only on
 * their servers), systemd-analyze gets a stub for each program. systemd-analyze exits 0 even on unknown keys: every line it prints is a problem. Each
 * unit gets a unique name in the root, so every line is traced to its unit; a line naming none
 * concerns them all. Problems by path.
 */
export function checkSystemdUnits(paths: string[], options: { release?: string } = {}): Map<string, string[]> {
  // Nothing but a unit's name and contents matters to these checks (its mode does not): without a
  // release, units with the same name and contents are checked once and share the verdict.
  if (!options.release) {
    const first = new Map<string, string>();
    for (const path of paths) if (!first.has(unitKey(path))) first.set(unitKey(path), path);
    if (first.size < paths.length) {
      const found = checkSystemdUnits([...first.values()]);
      return new Map(paths.map(path => [path, [...found.get(first.get(unitKey(path))!)!]]));
    }
  }
  const problems = new Map(paths.map(path => [path, [] as string[]]));
  if (paths.length === 0) return problems;
  const root = mkdtempSync(join(tmpdir(), 'pyrepo-systemd-'));
  try {
    const system = realpathSync('/lib/systemd/system');
    if (existsSync(system)) cpSync(system, join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const names = paths.map((path, index) => `u${index}-${basename(path)}`);
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    for (const [index, path] of paths.entries()) {
      const unit = readFileSync(path, 'utf8');
      writeFileSync(join(root, 'etc/systemd/system', names[index]!), unit);
      const release = /^WorkingDirectory=(\S+)$/m.exec(unit)?.[1];
      const inRelease = (word: string) => release !== undefined && posix.normalize(word).startsWith(`${release}/`);
      for (const [line, key, program, rest] of unit.matchAll(/^(Exec\w*)=[-@:+!]*(\S+)(.*)$/gm)) {
        if (inRelease(program!)) {
          if (options.release && !isExecutableFile(join(options.release, posix.relative(release!, posix.normalize(program!))))) problems.get(path)!.push(`${key}=${program}: the release has no executable ${posix.relative(release!, program!)}`);
        } else if (options.release && !isExecutableFile(program!)) problems.get(path)!.push(`${key}=${program}: no such program on this system`);
        for (const word of rest!.split(/\s+/).filter(inRelease)) {
          if (options.release && !existsSync(join(options.release, posix.relative(release!, posix.normalize(word))))) problems.get(path)!.push(`${line}: the release has no ${posix.relative(release!, word)}`);
        }
        // Checked above where it can be: systemd-analyze gets a stub. Normalized as systemd resolves it, so /../x stays inside the scratch root.
        const stub = join(root, posix.normalize(program!));
        mkdirSync(dirname(stub), { recursive: true });
        writeFileSync(stub, '#!/bin/sh\n');
        chmodSync(stub, 0o755);
      }
    }
    const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...names], { encoding: 'utf8' });
    if (result.error) throw toolError('systemd-analyze', result.error);
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter(line => line.trim() !== '');
    for (const line of lines) {
      const index = names.findIndex(name => line.includes(name));
      if (index === -1) paths.forEach(path => problems.get(path)!.push(line));
      else problems.get(paths[index]!)!.push(line.replaceAll(`${root}/etc/systemd/system/`, '').replaceAll(names[index]!, basename(paths[index]!)));
    }
    if (result.status !== 0 && lines.length === 0) paths.forEach(path => problems.get(path)!.push(`systemd-analyze verify failed (${result.status ?? result.error?.message})`));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  for (const path of paths) {
    const exposure = systemdExposure(path);
    if (exposure > maxSystemdExposure) problems.get(path)!.push(`systemd-analyze security rates it ${exposure}, above ${maxSystemdExposure}`);
  }
  return problems;
}

/** What is wrong with one unit (see checkSystemdUnits); empty when systemd accepts it and rates it well. */
export function checkSystemdUnit(path: string, options: { release?: string } = {}): string[] {
  return checkSystemdUnits([path], options).get(path)!;
}

const unitKey = (path: string) => `${basename(path)}\0${readFileSync(path, 'utf8')}`;

/** The exposure `systemd-analyze security --offline=true` rates a unit (0 best, 10 worst). */
export function systemdExposure(path: string): number {
  const output = runTool('systemd-analyze', ['security', '--offline=true', path]);
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(output);
  if (!match) throw new Error(`systemd-analyze security printed no exposure level:\n${output}`);
  return Number(match[1]);
}

/** The settings of a unit's [Service] section: last value wins; Environment= and ReadWritePaths= lines add up. */
function serviceSettings(text: string): { values: Map<string, string>; environment: Record<string, string>; readWritePaths: string[] } {
  const values = new Map<string, string>();
  const environment: Record<string, string> = {};
  const readWritePaths: string[] = [];
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
    } else if (key === 'ReadWritePaths') readWritePaths.push(...value.split(/\s+/).filter(Boolean));
    else values.set(key, value);
  }
  return { values, environment, readWritePaths };
}

/** The [Service] settings startSystemdUnit applies; every other one in a unit is reported in `notApplied`. */
export const appliedServiceSettings = ['Type', 'User', 'Group', 'WorkingDirectory', 'Environment', 'ExecStart', 'StateDirectory', 'UMask', 'NoNewPrivileges', 'ProtectSystem', 'ReadWritePaths', 'PrivateTmp'];

/** What ProtectSystem= makes read-only (systemd.exec(5)); strict: every mount but the kernel's API file systems. */
const protectedPaths: Record<string, string[] | 'all'> = { yes: ['/usr', '/boot', '/efi'], true: ['/usr', '/boot', '/efi'], full: ['/usr', '/boot', '/efi', '/etc'], strict: 'all' };

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface RunningUnit extends RunningService {
  /** The unit's [Service] settings this simulation did not apply (sandboxing systemd adds on a server). */
  notApplied: string[];
}

/**
 * Start what a systemd unit runs, applying what can be applied here (needs root, as CI runs):
 * its ExecStart, in its WorkingDirectory, as an unprivileged user (its User=; uid 1000 here,
 * with setpriv), with systemd's minimal environment plus its Environment= lines and
 * STATE_DIRECTORY, its UMask, NoNewPrivileges (setpriv --no-new-privs), PrivateTmp, and
 * ProtectSystem with ReadWritePaths (a private mount namespace, unshare: fresh /tmp and /var/tmp,
 * read-only mounts, the writable paths bound writable again). `release` stands in
 * for the WorkingDirectory (the deployed release); before the start, a probe run the same way
 * must fail to write to it and succeed in writing to the StateDirectory (a fresh folder the user
 * owns). Every other setting (ProtectHome, SystemCallFilter...) is not applied: `notApplied`
 * names them. `env` overrides (the port, so tests do not collide).
 */
export async function startSystemdUnit(unitPath: string, options: { release: string; url: string; env?: Record<string, string> }): Promise<RunningUnit> {
  if (process.getuid?.() !== 0) {
    throw new Error('startSystemdUnit runs a service as its unit says: as another user, in a mount namespace with a read-only system. That needs root (setpriv, unshare): run the tests as root, as CI does.');
  }
  const { values, environment, readWritePaths } = serviceSettings(readFileSync(unitPath, 'utf8'));
  const workingDirectory = values.get('WorkingDirectory');
  const execStart = values.get('ExecStart');
  if (!workingDirectory || !execStart || !values.get('User')) throw new Error(`${unitPath}: the simulation needs WorkingDirectory, ExecStart and User`);
  const protect = values.get('ProtectSystem');
  if (protect !== undefined && !(protect in protectedPaths) && protect !== 'no' && protect !== 'false') throw new Error(`ProtectSystem=${protect}: not simulated`);
  const state = mkdtempSync(join(tmpdir(), 'pyrepo-state-'));
  chownSync(state, serviceUid, serviceUid);
  const stateDirectory = values.get('StateDirectory');
  const mapPaths = (value: string) => {
    let mapped = value.replaceAll(workingDirectory, options.release);
    if (stateDirectory) mapped = mapped.replaceAll(`/var/lib/${stateDirectory}`, state);
    return mapped;
  };
  const writable = [...(stateDirectory ? [state] : []), ...readWritePaths.map(path => mapPaths(path.replace(/^-/, '')))];
  const readOnly = protect === undefined || !(protect in protectedPaths) ? [] : protectedPaths[protect]!;
  const privateTmp = /^(yes|true)$/.test(values.get('PrivateTmp') ?? '');
  // PrivateTmp: fresh /tmp and /var/tmp; the folders of the run that live in the old /tmp are
  // bound into the new one from the old one, shown for the moment at /var/tmp (replaced next).
  const underTmp = [...new Set([options.release, state, ...writable])].filter(path => path.startsWith('/tmp/')).map(path => path.slice('/tmp/'.length));
  const script = [
    'set -eu',
    ...(privateTmp
      ? ['mount --bind /tmp /var/tmp', 'mount -t tmpfs -o mode=1777 tmpfs /tmp', ...underTmp.map(path => `mkdir -p ${quote(`/tmp/${path}`)}; mount --bind ${quote(`/var/tmp/${path}`)} ${quote(`/tmp/${path}`)}`), 'umount /var/tmp', 'mount -t tmpfs -o mode=1777 tmpfs /var/tmp']
      : []),
    readOnly === 'all'
      ? `findmnt -rno TARGET | grep -vE '^/(proc|sys|dev)(/|$)${privateTmp ? '|^/(var/)?tmp$' : ''}' | while read -r target; do mount -o remount,bind,ro "$target"; done`
      : readOnly.map(path => `if [ -d ${path} ]; then mount --bind ${path} ${path}; mount -o remount,bind,ro ${path}; fi`).join('\n'),
    ...writable.map(path => `mount --bind ${quote(path)} ${quote(path)}; mount -o remount,bind,rw ${quote(path)}`),
    // Through the new mounts, not the working folder inherited from before them.
    `cd ${quote(options.release)}`,
    `umask ${values.get('UMask') ?? '0022'}`,
    `exec setpriv --reuid=${serviceUid} --regid=${serviceUid} --clear-groups ${/^(yes|true)$/.test(values.get('NoNewPrivileges') ?? '') ? '--no-new-privs ' : ''}"$@"`,
  ].join('\n');
  const sandboxed = (command: string, args: string[]): [string, string[]] => ['unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', command, ...args]];
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin',
    LANG: 'C.UTF-8',
    HOME: '/nonexistent',
    ...Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, mapPaths(value)])),
    ...(stateDirectory ? { STATE_DIRECTORY: state } : {}),
    ...options.env,
  };
  const [command = '', ...args] = mapPaths(execStart.replace(/^[-@:+!]+/, '')).split(/\s+/);
  const notApplied = [...values.keys()].filter(key => !appliedServiceSettings.includes(key) && !['Restart', 'RestartSec', 'EnvironmentFile', 'ExecReload', 'TimeoutStopSec', 'KillSignal'].includes(key));
  try {
    makeReadable(options.release);
    // The promise of the sandbox, checked with the same sandbox: the release is read-only to the service, its state folder is not.
    const [probe, probeArgs] = sandboxed('sh', ['-c', 'if touch "$1/.pyrepo-write-probe" 2>/dev/null; then echo "wrote to the release"; exit 1; fi; touch "$2/.pyrepo-write-probe"', 'sh', options.release, state]);
    runTool(probe, probeArgs, { cwd: options.release });
    const service = await startService(command, args, { cwd: options.release, env, url: options.url, wrap: sandboxed });
    return { ...service, notApplied, stop: () => service.stop().finally(() => rmSync(state, { recursive: true, force: true })) };
  } catch (error) {
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
}
