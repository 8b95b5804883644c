import { accessSync, closeSync, constants, copyFileSync, existsSync, fchmodSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { Conflicter, YoResolve, type ConflicterFile, type ConflicterOptions } from '@yeoman/conflicter';
import type { InputOutputAdapter } from '@yeoman/types';
import type { Store } from 'mem-fs';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { clearFileState, isFileNew, isFilePending, isFileStateDeleted, isFileStateModified, setCommittedFile } from 'mem-fs-editor/state';
import { PyrepoError, UsageError } from './errors.js';
import { keptByUser } from './merge-status.js';
import { isInside, notRegularFile, readRegularFile } from './regular-file.js';
import type { RepositoryReader } from './repository-files.js';
import { acquireRunFolder, releaseRunFolder, unpredictableName } from './run-folder.js';

interface Change {
  path: string;
  /** New contents, or undefined to delete the file. */
  contents?: Buffer;
  mode?: number;
}

/** The commit under way, for the signal handling of a run (see run.ts). */
type Questions = Array<{ type?: string; name: string; message?: string; default?: unknown }>;

/**
 * Answers for a run that must not ask: the conflict question gets "skip" (and the file is
 * recorded), any other question its default; a question without a default is a usage error.
 */
export function nonInteractivePrompts(skipped: string[]) {
  return async (questions: Questions | Questions[number]) => {
    const answers: Record<string, unknown> = {};
    for (const question of Array.isArray(questions) ? questions : [questions]) {
      if (question.type === 'expand' && /^Overwrite .*\?$/.test(question.message ?? '')) {
        skipped.push(question.message!.replace(/^Overwrite (.*)\?$/, '$1'));
        answers[question.name] = 'skip';
      } else if (question.default !== undefined && typeof question.default !== 'function') {
        answers[question.name] = question.default;
      } else {
        throw new UsageError({ message: `A generator asked "${question.message ?? question.name}", but this run cannot ask.`, fix: 'run it in a terminal without --yes, or pass the value as an option.' });
      }
    }
    return answers;
  };
}

/** What a run says about the files it left as the user changed them (it then exits 3). */
export function skippedConflictsMessage(files: string[], dryRun: boolean): string {
  // A dry run says what the run would do, with the run's exit code.
  const left = dryRun ? 'the run would leave' : 'left';
  return `pyrepo: ${left} ${files.length} file(s) you changed as they are:\n${files.map(file => `  ${file}\n`).join('')}Review them, then re-run with --force to overwrite, or without --yes to decide file by file.\n`;
}

export const commitState = {
  /** True once the files of the run are in place (an interruption then comes after them). */
  written: false,
  /** Set by the signal handler: the commit stops before its next step. */
  interrupted: false,
  /** Files changed on disk since the run read them (a user's edit during the run): left as they are, not replaced. */
  changedDuringRun: [] as string[],
};

const isYoRc = (path: string) => basename(path) === '.yo-rc.json';

/** Refuse every change outside the repository, lexically or through a symlinked folder; nothing is written when one is. */
function checkInside(paths: Iterable<string>, reader: RepositoryReader): void {
  for (const path of paths) {
    if (!isInside(reader.root, path)) throw new PyrepoError(`Refused to write ${path}: it is outside the repository ${reader.root}. Nothing was written.`, 1);
    reader.checkRealFolder(path);
  }
}

/**
 * Check, before anything is written, that every change can be put in place: its target is a
 * regular file or nothing; its folders are folders (or can be made), writable, on the repository's
 * file system (a rename cannot cross one). Returns the folders to make inside the repository,
 * outermost first.
 */
function checkTargets(changes: Change[], reader: RepositoryReader): string[] {
  const fail = (reason: string) => new PyrepoError(`Could not write the files (${reason}); nothing was written.`, 1);
  const folders = new Map<string, Stats | 'missing'>();
  const missing: string[] = [];
  let rootDevice: number | undefined;
  const checkFolder = (folder: string): void => {
    if (folders.has(folder)) return;
    let stat: Stats | undefined;
    try {
      stat = statSync(folder, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    }
    if (!stat) {
      folders.set(folder, 'missing');
      if (dirname(folder) === folder) throw fail(`${folder} cannot be made`);
      checkFolder(dirname(folder));
      // The repository folder itself (and its parents) is made with the run folder, at the start of the commit.
      if (folder !== reader.root && isInside(reader.root, folder)) missing.push(folder);
      return;
    }
    folders.set(folder, stat);
    if (!stat.isDirectory()) throw fail(`${reader.shown(folder)} is a file, where pyrepo needs a folder`);
    try {
      accessSync(folder, constants.W_OK | constants.X_OK);
    } catch {
      throw fail(`no permission to write in ${folder}`);
    }
    rootDevice ??= stat.dev;
    if (stat.dev !== rootDevice) throw fail(`${reader.shown(folder)} is on another file system than the repository; a file cannot be moved into it at once`);
  };
  checkFolder(reader.root);
  for (const change of changes) {
    let stat: Stats | undefined;
    try {
      stat = lstatSync(change.path, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error; // a file in place of a folder: checkFolder names it
    }
    if (stat && !stat.isFile()) throw notRegularFile(reader.shown(change.path), stat);
    checkFolder(dirname(change.path));
  }
  return missing;
}

/** Let the event loop run once: a signal that arrived meanwhile is handled before the next step. */
async function yieldToSignals(): Promise<void> {
  await new Promise(resolve => setImmediate(resolve));
  if (commitState.interrupted) throw new PyrepoError('Interrupted; nothing was written.', 130);
}

/** A temporary file nobody else can have made or redirected: exclusive, never through a link. */
function writeTemporary(path: string, contents: Buffer, mode: number | undefined, keepMode: boolean): void {
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, mode ?? 0o666);
  try {
    writeFileSync(fd, contents);
    // A file that keeps its place keeps its mode exactly, as an in-place write would (the umask applies to new files only).
    if (keepMode && mode !== undefined) fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/** Keep the file a rename replaces, until every rename is done: a hard link (a copy where links are not supported). */
function backUp(target: string, backup: string): void {
  try {
    linkSync(target, backup);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    copyFileSync(target, backup, constants.COPYFILE_EXCL);
  }
}

interface Prepared {
  target: string;
  /** The temporary holding the new contents; none for a deletion. */
  temporary?: string;
}

/**
 * Put every prepared file in place, in one synchronous pass (no signal is handled halfway): the
 * missing folders first, then each file, .yo-rc.json last. A file that changed on disk since the
 * run read it is left as it is (commitState.changedDuringRun). A failure puts back every file
 * replaced so far (from its backup) and removes the files and folders made: nothing of the run is
 * left.
 */
function putInPlace(prepared: Prepared[], folders: string[], reader: RepositoryReader, runDir: string): void {
  const done: Array<{ target: string; backup?: string }> = [];
  const made: string[] = [];
  const backupPrefix = join(runDir, unpredictableName('backup'));
  try {
    for (const folder of folders) {
      mkdirSync(folder);
      made.push(folder);
    }
    for (const [index, { target, temporary }] of prepared.entries()) {
      if (!reader.unchangedSinceRead(target)) {
        commitState.changedDuringRun.push(reader.shown(target));
        continue;
      }
      const exists = reader.snapshots.get(target) !== null;
      const backup = exists ? `${backupPrefix}-${index}` : undefined;
      if (temporary === undefined) {
        if (backup) renameSync(target, backup);
      } else {
        if (backup) backUp(target, backup);
        renameSync(temporary, target);
      }
      done.push({ target, backup });
    }
  } catch (error) {
    const notRestored: string[] = [];
    for (const { target, backup } of done.reverse()) {
      try {
        if (backup) renameSync(backup, target);
        else rmSync(target, { force: true });
      } catch {
        notRestored.push(reader.shown(target));
      }
    }
    for (const folder of made.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // not empty: what is in it was there before (it cannot be: the run made it), or the user's
      }
    }
    const restored = notRestored.length === 0 ? 'nothing was written' : `these could not be put back as they were (their old contents are in ${runDir}): ${notRestored.join(', ')}`;
    throw new PyrepoError(`Could not write the files (${(error as Error).message}); ${restored}.`, 1);
  }
}

/**
 * Write every change or none. Checks first (every target a regular file or nothing, its folders
 * folders, writable), then each file to a temporary in the run folder (an error, or a signal,
 * removes them all), then the renames into place, atomic per file, synchronous, .yo-rc.json last,
 * each replaced file backed up until all are done. The temporaries are written synchronously, 64 at
 * a time with a turn of the event loop between, so a signal is heard (on the thread pool, 1,300
 * small files took longer: 110 ms against 75 ms).
 */
async function writeAll(changes: Change[], reader: RepositoryReader): Promise<void> {
  if (changes.length === 0) return;
  // .yo-rc.json last: a run that fails or dies halfway does not record files it did not write.
  changes.sort((a, b) => Number(isYoRc(a.path)) - Number(isYoRc(b.path)));
  checkInside(changes.map(change => change.path), reader);
  const folders = checkTargets(changes, reader);
  let runDir: string;
  const prepared: Prepared[] = [];
  try {
    runDir = await acquireRunFolder(reader.root);
    const prefix = join(runDir, unpredictableName('new'));
    for (const [index, change] of changes.entries()) {
      if (index % 64 === 0) await yieldToSignals();
      if (change.contents === undefined) {
        prepared.push({ target: change.path });
        continue;
      }
      const temporary = `${prefix}-${index}`;
      const existing = reader.snapshots.get(change.path);
      const mode = change.mode ?? (existing ? lstatSync(change.path, { throwIfNoEntry: false })?.mode : undefined);
      writeTemporary(temporary, change.contents, mode === undefined ? undefined : mode & 0o7777, Boolean(existing));
      prepared.push({ target: change.path, temporary });
    }
    await yieldToSignals();
  } catch (error) {
    releaseRunFolder();
    if (error instanceof PyrepoError) throw error;
    throw new PyrepoError(`Could not write the files (${(error as Error).message}); nothing was written.`, 1);
  }
  try {
    putInPlace(prepared, folders, reader, runDir);
    commitState.written = true;
  } finally {
    releaseRunFolder();
  }
}

/**
 * Yeoman's .yo-resolve rules. YoResolve looks for a .yo-resolve in every folder above each file and
 * remembers only the folders that have one: it stats every ancestor again for every file, one
 * await at a time (1,300 files took 1.5 s). The folders without one are recorded first, as the
 * "none here" its cache already knows.
 */
function yoResolveTransform(sharedFs: Store<MemFsEditorFile>): Transform {
  const yoResolve = new YoResolve();
  const seen = new Set<string>();
  for (const file of sharedFs.all()) {
    if (!isFilePending(file)) continue;
    // As YoResolve names them: from the file's own path up, with forward slashes. The file's own
    // path is a file (or nothing yet): it holds no .yo-resolve.
    const path = file.path.replace(/\\/g, '/');
    yoResolve.groupedYoResolve.set(path, null as never);
    for (let folder = dirname(path); !seen.has(folder); folder = dirname(folder)) {
      seen.add(folder);
      if (!existsSync(resolve(folder, yoResolve.yoResolveFileName))) yoResolve.groupedYoResolve.set(folder, null as never);
      if (dirname(folder) === folder) break;
    }
  }
  return yoResolve.createTransform() as unknown as Transform;
}

/**
 * Yeoman's own files (and pyrepo's base snapshot, a record like .yo-rc.json) are written without a
 * question, as Yeoman's forceYoFiles does; but a new one or one that did not change is left to the
 * conflicter, which reports it "create" or "identical" rather than "force".
 */
function forceChangedYoFiles(): Transform {
  return new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile & { conflicter?: string }, _encoding, callback) {
      if (isFilePending(file) && /(^|[/\\])(\.yo-(rc\.json|resolve|rc-global\.json)|\.pyrepo-base\.json)$/.test(file.path)) {
        const disk = readRegularFile(file.path, basename(file.path))?.contents;
        if (disk && (!file.contents || !disk.equals(file.contents))) file.conflicter = 'force';
      }
      callback(null, file);
    },
  });
}

/**
 * Yeoman's conflicter, which also marks the files it leaves as the user has them; in a dry run whose
 * questions are answered as the real run would answer them (see runDraft), it prints the diff of each
 * file that would change, as its own dry run does (its printer: the same format).
 */
class RunConflicter extends Conflicter {
  readonly #printDiffs: boolean;

  constructor(adapter: InputOutputAdapter, options: ConflicterOptions, printDiffs: boolean) {
    super(adapter, options);
    this.#printDiffs = printDiffs;
  }

  override async checkForCollision(file: ConflicterFile): ReturnType<Conflicter['checkForCollision']> {
    const checked = await super.checkForCollision(file);
    if (this.#printDiffs && checked.conflicterChanges) await (this as unknown as { _printDiff(input: { file: typeof checked }): Promise<void> })._printDiff({ file: checked });
    if (checked.changesDetected && ['skip', 'ignore', 'diff'].includes(checked.conflicter ?? '')) Object.assign(checked, { [keptByUser]: true });
    return checked;
  }
}

/**
 * Yeoman's commit (the .yo-resolve rules, the conflicter's questions and statuses), with pyrepo's
 * writing: inside the repository only, all files or none, each one atomically. A dry run goes
 * through the same statuses and writes nothing.
 */
export async function commitAtomically(env: { adapter: InputOutputAdapter; conflicterOptions?: ConflicterOptions & { yoResolveFileName?: string }; sharedFs: Store<MemFsEditorFile> }, reader: RepositoryReader, dryRun = false): Promise<void> {
  commitState.changedDuringRun = [];
  const { yoResolveFileName, ...conflicterOptions } = env.conflicterOptions ?? {};
  // Before the conflicter compares any target with what would be written: each is inside the
  // repository and a regular file (or nothing), and what it holds now is known to the final check.
  const pending = env.sharedFs.all().filter(file => isFilePending(file) && (isFileStateModified(file) || isFileStateDeleted(file)));
  checkInside(pending.map(file => resolve(file.path)), reader);
  for (const file of pending) reader.remember(resolve(file.path));
  const changes: Change[] = [];
  const collect = new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile, _encoding, callback) {
      if (isFileStateModified(file)) {
        setCommittedFile(file);
        changes.push({ path: file.path, contents: file.contents ?? Buffer.alloc(0), mode: file.stat?.mode ?? undefined });
      } else if (isFileStateDeleted(file) && !isFileNew(file)) {
        setCommittedFile(file);
        changes.push({ path: file.path });
      }
      clearFileState(file);
      callback(null, file);
    },
  });
  await env.sharedFs.pipeline(
    { filter: file => isFilePending(file) || file.path.endsWith('.yo-resolve') },
    yoResolveTransform(env.sharedFs),
    forceChangedYoFiles(),
    new RunConflicter(env.adapter, conflicterOptions, dryRun && !conflicterOptions.dryRun).createTransform({ yoResolveFileName }),
    collect,
  );
  if (!dryRun) await writeAll(changes, reader);
}

/**
 * An in-memory generation's commit (`pyrepo update` and `check`): every file the run would write,
 * by path relative to the repository, into `capture`; nothing touches the disk.
 */
export function captureFiles(sharedFs: Store<MemFsEditorFile>, root: string, capture: Map<string, Buffer>): void {
  for (const file of sharedFs.all()) {
    if (!isFilePending(file)) continue;
    const path = relative(root, file.path);
    if (isFileStateModified(file) && file.contents && path !== '' && !path.startsWith('..') && !isAbsolute(path)) capture.set(path.split(sep).join('/'), file.contents);
    clearFileState(file);
  }
}

/**
 * Write files pyrepo computed itself (`pyrepo update`, `accept`) the way a run's commit does: inside
 * the repository only, all or none, each atomically, .yo-rc.json last; `contents` undefined deletes.
 * Each path must have been read through `reader` (what it held then is what may be replaced): a file
 * changed since is left as it is and returned.
 */
export async function writeFilesAtomically(reader: RepositoryReader, changes: Array<{ path: string; contents?: Buffer }>): Promise<string[]> {
  commitState.written = false;
  commitState.interrupted = false;
  commitState.changedDuringRun = [];
  for (const change of changes) reader.remember(change.path);
  await writeAll(changes.map(change => ({ ...change })), reader);
  return [...commitState.changedDuringRun];
}
