import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadFile } from 'mem-fs';
import File from 'vinyl';
import { PyrepoError } from './errors.js';
import { isInside, readRegularFile } from './regular-file.js';

/** What a file of the repository held when the run read it; null when it did not exist. */
export interface DiskSnapshot {
  size: number;
  mtimeMs: number;
  ino: number;
  contents: Buffer;
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
