import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { runTool } from './checks.js';

/** The highest exposure `systemd-analyze security` may rate a generated unit ("OK" or better). */
export const maxSystemdExposure = 2.5;

/**
 * `systemd-analyze verify` of many units in one scratch root (the system's units, a stub for every
 * program they run, so the check does not depend on what this machine has installed), then each
 * unit's exposure, which must be `maxSystemdExposure` or better. systemd-analyze exits 0 even on
 * unknown keys: every line it prints is a problem. Each unit gets a unique name in the root, so
 * every line is traced to its unit; a line naming none concerns them all. Problems by path.
 */
export function checkSystemdUnits(paths: string[]): Map<string, string[]> {
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
      for (const [, program] of unit.matchAll(/^Exec\w*=[-@:+!]*(\S+)/gm)) {
        // As systemd resolves it: normalized, so /../x stays inside the scratch root.
        const stub = join(root, posix.normalize(program!));
        mkdirSync(dirname(stub), { recursive: true });
        writeFileSync(stub, '#!/bin/sh\n');
        chmodSync(stub, 0o755);
      }
    }
    const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, ...names], { encoding: 'utf8' });
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
export function checkSystemdUnit(path: string): string[] {
  return checkSystemdUnits([path]).get(path)!;
}

/** The exposure `systemd-analyze security --offline=true` rates a unit (0 best, 10 worst). */
export function systemdExposure(path: string): number {
  const output = runTool('systemd-analyze', ['security', '--offline=true', path]);
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(output);
  if (!match) throw new Error(`systemd-analyze security printed no exposure level:\n${output}`);
  return Number(match[1]);
}
