import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadFile } from 'mem-fs';
import File from 'vinyl';
import { PyrepoError } from './errors.js';

/** The largest repository file pyrepo reads (to merge into it, or to compare with what it would write). */
export const maxFileBytes = 4 * 1024 * 1024;

/** What a file of the repository held when the run read it; null when it did not exist. */
export interface DiskSnapshot {
  size: number;
  mtimeMs: number;
  ino: number;
  contents: Buffer;
}

function describeKind(stat: Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The error for a repository path pyrepo would read or replace that is not a regular file. */
export function notRegularFile(shown: string, stat: Stats): PyrepoError {
  const fix = stat.isSymbolicLink()
    ? 'pyrepo neither reads nor writes through links: replace the link with a regular file (a copy of what it points to), or move it away'
    : 'move it away';
  return new PyrepoError(`${shown} is ${describeKind(stat)}, where pyrepo reads or writes a regular file; ${fix}, then run again. Nothing was written.`, 1);
}

function tooLarge(shown: string): PyrepoError {
  return new PyrepoError(`${shown} is larger than ${maxFileBytes / 1024 / 1024} MiB; pyrepo reads no file that large (to merge into it or replace it). Move it away, then run again. Nothing was written.`, 1);
}

/**
 * A regular file's contents and status: never read through a link, never from a device, a FIFO or
 * a socket, at most maxFileBytes; undefined when it does not exist. `shown` names it in errors.
 */
export function readRegularFile(path: string, shown: string): { stat: Stats; contents: Buffer } | undefined {
  let linkStat: Stats | undefined;
  try {
    linkStat = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined; // a file in place of one of its folders
    throw error;
  }
  if (!linkStat) return undefined;
  if (!linkStat.isFile()) throw notRegularFile(shown, linkStat);
  if (linkStat.size > maxFileBytes) throw tooLarge(shown);
  let fd: number;
  try {
    // No-follow and non-blocking: a link or a FIFO put in its place since the lstat is refused, not read.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw notRegularFile(shown, lstatSync(path));
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw notRegularFile(shown, stat);
    // One byte more than allowed tells a file that grew past the limit since the fstat.
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxFileBytes) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxFileBytes) throw tooLarge(shown);
    return { stat, contents: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

export function isInside(root: string, path: string): boolean {
  const inside = relative(root, path);
  return !inside.startsWith('..') && !isAbsolute(inside);
}

/**
 * How a run reads the repository: mem-fs loads every file a generator reads or writes through here
 * (`Store.loadFile`), so each is a regular file inside the repository (symlinked folders resolved),
 * read bounded, and what it held is remembered: the commit replaces a file only if it still holds
 * that (a user's edit during the run is never lost).
 */
export class RepositoryReader {
  readonly root: string;
  readonly #realRoot: string;
  readonly #realFolders = new Map<string, string>();
  /** Per absolute path: what the file held when first read; null when it did not exist. */
  readonly snapshots = new Map<string, DiskSnapshot | null>();

  constructor(root: string) {
    this.root = resolve(root);
    this.#realRoot = this.#realFolder(this.root);
  }

  /** A folder resolved through symlinks (its nearest existing ancestor, for one that does not exist yet). */
  #realFolder(folder: string): string {
    let real = this.#realFolders.get(folder);
    if (real === undefined) {
      try {
        real = realpathSync(folder);
      } catch {
        // One that does not exist yet will be made inside its parent's real folder.
        real = dirname(folder) === folder ? folder : join(this.#realFolder(dirname(folder)), basename(folder));
      }
      this.#realFolders.set(folder, real);
    }
    return real;
  }

  /** The path from the repository root, for messages. */
  shown(path: string): string {
    return relative(this.root, path) || '.';
  }

  /** Refuse a path inside the repository whose folder leads outside it through a symlink. */
  checkRealFolder(path: string): void {
    if (!isInside(this.#realRoot, this.#realFolder(dirname(path)))) {
      throw new PyrepoError(`Refused to write ${path}: it is outside the repository ${this.root} (a symlinked folder leads there). Nothing was written.`, 1);
    }
  }

  /** Record what a file holds now, unless the run read it already. */
  remember(path: string): void {
    if (this.snapshots.has(path)) return;
    const read = readRegularFile(path, this.shown(path));
    this.snapshots.set(path, read ? { size: read.stat.size, mtimeMs: read.stat.mtimeMs, ino: read.stat.ino, contents: read.contents } : null);
  }

  /** Whether a file still holds what the run read (same size, time, inode and bytes; or still does not exist). */
  unchangedSinceRead(path: string): boolean {
    const snapshot = this.snapshots.get(path);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!snapshot) return !stat;
    if (!stat?.isFile() || stat.size !== snapshot.size || stat.mtimeMs !== snapshot.mtimeMs || stat.ino !== snapshot.ino) return false;
    try {
      return readRegularFile(path, this.shown(path))?.contents.equals(snapshot.contents) ?? false;
    } catch {
      return false;
    }
  }

  /** mem-fs's loadFile for the repository; files elsewhere (Yeoman's global config) load as mem-fs loads them. */
  readonly load = (filepath: string): File => {
    const path = resolve(filepath);
    if (!isInside(this.root, path)) return loadFile(filepath) as File;
    this.checkRealFolder(path);
    let stat: Stats | undefined;
    try {
      stat = lstatSync(path, { throwIfNoEntry: false });
    } catch {
      stat = undefined; // a file in place of one of its folders: the commit reports it
    }
    const base = { cwd: process.cwd(), base: process.cwd(), path };
    if (stat?.isDirectory()) return new File({ ...base, stat, contents: null });
    if (!stat) {
      this.snapshots.set(path, null);
      return new File({ ...base, contents: null });
    }
    const read = readRegularFile(path, this.shown(path));
    if (!read) {
      this.snapshots.set(path, null);
      return new File({ ...base, contents: null });
    }
    this.snapshots.set(path, { size: read.stat.size, mtimeMs: read.stat.mtimeMs, ino: read.stat.ino, contents: read.contents });
    return new File({ ...base, stat: read.stat, contents: read.contents });
  };
}

/** What Yeoman's Generator keeps about its destination (yeoman-generator 8). */
interface DestinationFields {
  _destinationRoot?: string;
  _contextMap?: unknown;
  _config?: unknown;
  _packageJson?: unknown;
  env: object & { getContextMap?: (root: string) => unknown };
  emit(event: string, ...args: unknown[]): boolean;
}

/**
 * Point a Yeoman generator at a destination folder that does not exist yet, without making it:
 * Yeoman's destinationRoot() makes it at once, so a dry run, a run refused later or an interrupted
 * one would leave (or briefly make) a folder; pyrepo makes it when the commit writes the files.
 * The same steps as yeoman-generator's destinationRoot(path), without its mkdir.
 */
export function setMissingDestination(generator: DestinationFields, rootPath: string): string {
  const root = resolve(rootPath);
  generator._destinationRoot = root;
  if (generator.env.getContextMap) generator._contextMap = generator.env.getContextMap(root);
  generator.emit('destinationRootChange', root);
  generator._config = undefined;
  generator._packageJson = undefined;
  return root;
}
