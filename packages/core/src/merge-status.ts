import { createTwoFilesPatch, diffLines } from 'diff';
import { contentHash } from './records.js';
import { readRegularFile } from './regular-file.js';

/**
 * Shared-file merges only add to what is on disk, so they need no conflict question. Mark such a
 * file with the conflicter status "merge": it is written without asking, logged as "merge", and
 * its diff is shown by --dry-run (which reads conflicterChanges).
 */
export function markMerged(file: { path: string; conflicter?: string; conflicterChanges?: unknown }): void {
  const read = readRegularFile(file.path, file.path);
  if (!read) return; // a new file: the conflicter logs "create"
  const disk = read.contents.toString('utf8');
  const contents = String((file as { contents?: Buffer }).contents ?? '');
  if (disk === contents) return; // the conflicter logs "identical"
  file.conflicter = 'merge';
  file.conflicterChanges = changesBetween(disk, contents);
}

/**
 * The line diff --dry-run shows; none when the texts differ too much for a diff to be worth its
 * cost (a rewritten large file would take minutes: the diff algorithm is O(size x edits)).
 */
function changesBetween(disk: string, contents: string): ReturnType<typeof diffLines> | undefined {
  return diffLines(disk, contents, { maxEditLength: 1000, timeout: 250 });
}

/**
 * A file pyrepo wrote earlier and the user has not changed since (the disk matches the hash
 * recorded in .yo-rc.json) is pyrepo's to update: no conflict question, status "update".
 */
export function markUnchangedSinceWritten(file: { path: string; conflicter?: string; conflicterChanges?: unknown; contents?: Buffer | null }, recordedHash: string | undefined, showDiff: boolean): void {
  if (file.conflicter || recordedHash === undefined) return;
  const disk = readRegularFile(file.path, file.path)?.contents;
  if (!disk) return;
  const contents = file.contents ?? Buffer.alloc(0);
  if (disk.equals(contents) || contentHash(disk) !== recordedHash) return;
  file.conflicter = 'update';
  if (showDiff) file.conflicterChanges = changesBetween(disk.toString('utf8'), contents.toString('utf8'));
}

/** Set by the commit on a file the run leaves as the user has it (a conflict declined or skipped): the conflicter's statuses are gone once it is done. */
export const keptByUser = Symbol('keptByUser');

/** A unified diff of one file, for `pyrepo update --dry-run` (empty when nothing changes). */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${path}`, after === undefined ? '/dev/null' : `b/${path}`, before ?? '', after ?? '', undefined, undefined, { context: 3 }).replace(/^=+\n/, '');
}
