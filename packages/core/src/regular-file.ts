import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { PyrepoError } from './errors.js';

// Reading a repository's files without trusting them; free of Yeoman and mem-fs, so project
// detection (before Yeoman loads) reads the same way.

/** The largest repository file pyrepo reads (to merge into it, or to compare with what it would write). */
export const maxFileBytes = 4 * 1024 * 1024;

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
 * A repository file's text for reading facts from it: undefined when it is missing or is not a file
 * pyrepo reads (a link, a device, a FIFO, over the size limit), which then says nothing.
 */
export function readTextIfRegular(dir: string, path: string): string | undefined {
  try {
    return readRegularFile(join(dir, path), path)?.contents.toString('utf8');
  } catch {
    return undefined;
  }
}

/** Whether `path` is a file this process may execute (following links, as exec does). */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
