import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runTool } from './checks.js';

/** Programs a unit's Exec lines run (the first word of each, without systemd's prefixes). */
function executables(unit: string): string[] {
  return [...unit.matchAll(/^Exec\w*=[-@:+!]*(\S+)/gm)].map(match => match[1]!);
}

/**
 * `systemd-analyze verify` of a unit, in a scratch root holding the system's units and a stub
 * for every program the unit runs, so the check does not depend on what this machine has
 * installed. systemd-analyze exits 0 even on unknown keys: every line it prints is a problem.
 */
export function checkSystemdUnit(path: string): string[] {
  const root = mkdtempSync(join(tmpdir(), 'pyrepo-systemd-'));
  try {
    const unit = readFileSync(path, 'utf8');
    for (const folder of ['/usr/lib/systemd/system', '/lib/systemd/system']) {
      if (existsSync(folder)) cpSync(folder, join(root, folder), { recursive: true, dereference: false, verbatimSymlinks: true });
    }
    for (const program of executables(unit)) {
      mkdirSync(join(root, dirname(program)), { recursive: true });
      writeFileSync(join(root, program), '#!/bin/sh\n');
      chmodSync(join(root, program), 0o755);
    }
    const target = join(root, 'etc/systemd/system', basename(path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, unit);
    let output: string;
    try {
      output = runTool('systemd-analyze', ['verify', `--root=${root}`, basename(path)], { stderr: true });
    } catch (error) {
      return [(error as Error).message];
    }
    return output.split('\n').filter(line => line.trim() !== '');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The exposure `systemd-analyze security --offline=true` rates a unit (0 best, 10 worst). */
export function systemdExposure(path: string): number {
  const output = runTool('systemd-analyze', ['security', '--offline=true', path]);
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(output);
  if (!match) throw new Error(`systemd-analyze security printed no exposure level:\n${output}`);
  return Number(match[1]);
}
