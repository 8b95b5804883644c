import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PyrepoError } from './errors.js';

/**
 * The folder a run works in, at the repository's root: it is the repository's lock (created with
 * an exclusive mkdir, holding the pid of the run), and it holds the commit's temporary files and the
 * backups of the files the commit replaces. Its own .gitignore ignores everything in it, so what a
 * killed run leaves is never committed; the next run takes the folder over and removes it.
 */
export const runFolderName = '.pyrepo.lock';

/** How long a run waits for another one writing to the same repository. */
const waitForOtherRunMs = 5_000;

interface HeldFolder {
  root: string;
  dir: string;
  /** Folders made to hold the run folder (the repository itself, for `pyrepo new`), outermost first. */
  createdFolders: string[];
}

let held: HeldFolder | undefined;

/** The run folder this process holds for `root`, if any. */
export function heldRunFolder(root: string): string | undefined {
  return held?.root === root ? held.dir : undefined;
}

/** A name nobody can guess, for a file in the run folder. */
export function unpredictableName(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

/** The pid recorded in a run folder; undefined when there is none (yet) or it is not pyrepo's. */
function holderPid(dir: string): number | undefined {
  try {
    const fd = openSync(join(dir, 'pid'), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const text = readFileSync(fd, 'utf8').slice(0, 32);
      const pid = Number(text.trim());
      return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeExclusive(path: string, text: string): void {
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Make `folder` and its missing parents; the ones made, outermost first. */
function makeMissingFolders(folder: string): string[] {
  const missing: string[] = [];
  for (let current = folder; !lstatSync(current, { throwIfNoEntry: false }); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) mkdirSync(path);
  return missing;
}

/** Set aside the run folder a dead run left (its temporaries and backups), unless another run took it meanwhile. */
function takeOver(dir: string, stalePid: number | undefined): void {
  const aside = join(dirname(dir), unpredictableName(`${runFolderName}.stale`));
  try {
    renameSync(dir, aside);
  } catch {
    return; // gone already: another run took it over
  }
  if (holderPid(aside) !== stalePid) {
    // Between our look and the rename another run took the folder over and made it its own: give it back.
    try {
      renameSync(aside, dir);
      return;
    } catch {
      // It made another one meanwhile; the one set aside is that run's, lost to it either way.
    }
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Take the repository's run folder, creating the repository folder if needed. Another live run
 * holding it is waited for (a few seconds), then refused; a folder left by a run that died (its
 * pid gone) is taken over and what that run left in it removed.
 */
export async function acquireRunFolder(root: string): Promise<string> {
  if (held) {
    if (held.root === root) return held.dir;
    throw new PyrepoError(`pyrepo is already writing to ${held.root} in this process.`, 1);
  }
  const dir = join(root, runFolderName);
  const deadline = Date.now() + waitForOtherRunMs;
  const createdFolders = makeMissingFolders(root);
  try {
    for (;;) {
      try {
        mkdirSync(dir, { mode: 0o700 });
        held = { root, dir, createdFolders };
        // However the process ends (yo exits on a usage error without returning here), the folder goes with it.
        process.on('exit', releaseRunFolder);
        writeExclusive(join(dir, 'pid'), `${process.pid}\n`);
        writeExclusive(join(dir, '.gitignore'), '# A pyrepo run in progress (or killed): its temporary files. The next run removes them.\n*\n');
        return dir;
      } catch (error) {
        if (held) throw error;
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const stat = lstatSync(dir, { throwIfNoEntry: false });
      if (stat && !stat.isDirectory()) {
        throw new PyrepoError(`${dir} is not pyrepo's run folder (it is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}). Remove it and run again; nothing was written.`, 1);
      }
      const pid = holderPid(dir);
      // A folder without a pid is being made right now, unless it has been like that for a while.
      const dead = pid === undefined ? (stat?.mtimeMs ?? 0) < Date.now() - waitForOtherRunMs : !isAlive(pid);
      if (dead || pid === process.pid) takeOver(dir, pid);
      else if (Date.now() > deadline) {
        throw new PyrepoError(
          `Another pyrepo run${pid ? ` (pid ${pid})` : ''} is writing to ${root}; waited ${waitForOtherRunMs / 1000} s. Run again when it is done (if no pyrepo is running, remove ${dir}). Nothing was written.`,
          1,
        );
      } else await new Promise(resolve => setTimeout(resolve, 50));
    }
  } catch (error) {
    if (held) releaseRunFolder();
    else removeEmptyFolders(createdFolders);
    throw error;
  }
}

function removeEmptyFolders(folders: string[]): void {
  for (const folder of [...folders].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      break; // not empty: the run's files are in it
    }
  }
}

/** Remove the run folder (with whatever temporaries and backups are in it) and the folders made for it, if still empty. */
export function releaseRunFolder(): void {
  if (!held) return;
  const { dir, createdFolders } = held;
  held = undefined;
  process.off('exit', releaseRunFolder);
  rmSync(dir, { recursive: true, force: true });
  removeEmptyFolders(createdFolders);
}
