import { readFileSync } from 'node:fs';
import { format, styleText } from 'node:util';
import { diffLines } from 'diff';

/**
 * Shared-file merges only add to what is on disk, so they need no conflict question. Mark such a
 * file with the conflicter status "merge": it is written without asking, logged as "merge", and
 * its diff is shown by --dry-run (which reads conflicterChanges).
 */
export function markMerged(file: { path: string; conflicter?: string; conflicterChanges?: unknown }): void {
  let disk: string;
  try {
    disk = readFileSync(file.path, 'utf8');
  } catch {
    return; // a new file: the conflicter logs "create"
  }
  const contents = String((file as { contents?: Buffer }).contents ?? '');
  if (disk === contents) return; // the conflicter logs "identical"
  file.conflicter = 'merge';
  file.conflicterChanges = diffLines(disk, contents);
}

interface StatusLogger {
  write(...args: unknown[]): StatusLogger;
  merge?: (...args: unknown[]) => StatusLogger;
}

/** Give Yeoman's logger a "merge" status line, shaped like its create/identical lines. */
export function addMergeStatus(log: StatusLogger): void {
  if (typeof log.merge === 'function') return;
  log.merge = function (this: StatusLogger, ...args: unknown[]) {
    this.write(styleText('magenta', '    merge')).write(' ');
    return this.write(`${format(...args)}\n`);
  };
}
