import { readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import {
  PyrepoError,
  UsageError,
  compositionVersions,
  contentHash,
  draftFromRecords,
  fileRecordsObject,
  isPlainObject,
  migrateAnswers,
  parseSourceLabel,
  recordFiles,
  recordFormat,
  requiredFiles,
  readRepositoryState,
  readRepositoryText,
  resolveOption,
  schemaVersion,
  sortedObject,
  toFlag,
  versionDifferences,
  formatBaseSnapshot,
  baseSnapshotFile,
  yoRcText,
  type FileRecord,
  type JsonObject,
  type RepositoryState,
  type StoredConfig,
} from '@pyrepo/core/host';
import { checkExitCodes, recordedComposition, repositoryDir, withRecordOptions, type RecordCommandContext } from './check.js';

/** `pyrepo update`'s exit codes (docs/updating.md). */
export const updateExitCodes = { done: 0, conflicts: 1, usage: 2, changedDuringRun: 3, unfinished: checkExitCodes.unfinished } as const;

export type Outcome = 'unchanged' | 'fast-forward' | 'kept' | 'merged' | 'conflict' | 'new' | 'deleted';

interface FilePlan {
  path: string;
  outcome: Outcome;
  /** What the update writes; undefined deletes; absent (no key) leaves the file as it is. */
  result?: string;
  writes: boolean;
  yours?: string;
  /** Why, for outcomes a reader would ask about (no base, removed upstream, kept deleted). */
  note?: string;
  record?: FileRecord;
  /** A conflict of a file the new versions no longer generate, which you changed. */
  removedUpstream?: boolean;
}

/** Where an unfinished update keeps what --abort puts back (git ignores the folder). */
const backupFolder = '.pyrepo-update';
const backupFile = `${backupFolder}/before.json`;

function presetLabel(versions: Record<string, string> | Map<string, string> | undefined, preset: string | undefined): string {
  const label = versions instanceof Map ? versions.get(`preset ${preset}`) : versions?.[`preset ${preset}`];
  const parsed = label ? parseSourceLabel(label) : undefined;
  return parsed?.packageName ? `${parsed.packageName}@${parsed.version}` : (preset ?? 'generators');
}

/** The files of the repository that still hold conflict markers, with their lines. */
async function filesWithMarkers(state: RepositoryState, paths: Iterable<string>): Promise<Array<[string, number[]]>> {
  const { conflictMarkersIn } = await import('@pyrepo/core/run');
  const found: Array<[string, number[]]> = [];
  for (const path of paths) {
    const text = readRepositoryText(state.dir, path);
    const lines = text === undefined ? [] : conflictMarkersIn(text);
    if (lines.length > 0) found.push([path, lines]);
  }
  return found;
}

/** Ask for the value of an option the new versions added (a terminal only); empty takes the default. */
async function askOption(question: string): Promise<string> {
  const { createInterface } = process.getBuiltinModule('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question(question)).trim();
  } finally {
    terminal.close();
  }
}

export interface UpdateOptions {
  to?: string;
  yes: boolean;
  dryRun: boolean;
  trust: boolean;
}

/**
 * Three versions of every file: base (what the recorded versions generated with the recorded
 * answers: the base snapshot, checked against the recorded hash, or rebuilt in memory when the
 * recorded versions are the installed ones), yours (on disk), new (what the installed versions
 * generate with the migrated answers, in memory); merged per file by the merge engine.
 */
export async function planUpdate(state: RepositoryState, context: RecordCommandContext, options: UpdateOptions) {
  const { io } = context;
  const recorded = await recordedComposition(state, context, options.trust);
  const { composition, registry } = recorded;
  const installed = compositionVersions(composition);
  const newLabel = presetLabel(installed, composition.preset?.name);
  if (options.to !== undefined) {
    const version = composition.preset ? parseSourceLabel(installed.get(`preset ${composition.preset.name}`) ?? '').version : undefined;
    if (version !== options.to) {
      throw new UsageError({ message: `--to ${options.to}: the installed preset is ${newLabel}.`, fix: `install that version first (npm install ${newLabel.replace(/@[^@]*$/, '')}@${options.to}, or pyrepo itself for a built-in preset), then run pyrepo update again; pyrepo never fetches code by itself.` });
    }
  }
  // Answers: from the schema version they were validated against to the installed one.
  const answers: Record<string, JsonObject> = {};
  const migrations: string[] = [];
  const added: Array<{ generator: string; option: string; value: unknown }> = [];
  for (const entry of composition.generators) {
    const chosen = isPlainObject(state.stored.generators?.[entry.name]) ? (state.stored.generators![entry.name] as JsonObject) : {};
    const migrated = migrateAnswers(entry.name, entry.schema, chosen, state.stored.schemas?.[entry.name] ?? 1);
    answers[entry.name] = migrated.answers;
    for (const [from, to] of migrated.renamed) migrations.push(`${entry.name}: --${toFlag(from)} is now --${toFlag(to)}`);
    for (const removed of migrated.removed) migrations.push(`${entry.name}: --${toFlag(removed)} was removed`);
    for (const option of migrated.added) {
      const schema = entry.schema.properties[option];
      if (!schema) continue;
      const fallback = resolveOption(schema).default;
      let value: unknown = fallback;
      if (!options.yes) {
        if (!io.interactive) {
          throw new UsageError({ message: `Generator ${entry.name} has a new option --${toFlag(option)} (${schema.description}), and this run cannot ask for it.`, fix: `run pyrepo update in a terminal to be asked, or with --yes to take its default (${JSON.stringify(fallback)}).` });
        }
        const given = await askOption(`${entry.name}: new option --${toFlag(option)}: ${schema.description} [${JSON.stringify(fallback)}] `);
        if (given !== '') value = given;
      }
      if (value !== undefined && value !== fallback) answers[entry.name]![option] = value as never;
      added.push({ generator: entry.name, option, value });
    }
  }
  const { generateInMemory, mergeThreeWay } = await import('@pyrepo/core/run');
  // Validated against the new schemas here (draftPlan): a migration that leaves a bad answer is a usage error.
  const theirs = await generateInMemory(draftFromRecords(state, registry, recorded, answers));
  const differences = versionDifferences(state, installed);
  // The recorded versions are the installed ones: the base is what they generate from the recorded answers.
  // Same versions and answers: the new generation is the base's.
  let rebuilt: Map<string, Buffer> | undefined = differences.length === 0 && migrations.length === 0 && added.length === 0 ? theirs : undefined;
  const rebuild = async () => (rebuilt ??= await generateInMemory(draftFromRecords(state, registry, recorded, state.stored.generators ?? {})));
  const baseOf = async (path: string, record: FileRecord | undefined): Promise<string | undefined> => {
    if (!record) return undefined;
    const expected = record.generated ?? record.written; // a repository written before the records: what was written
    const snapshot = state.snapshot.get(path);
    if (snapshot !== undefined && contentHash(snapshot) === expected) return snapshot;
    if (differences.length > 0) return undefined;
    const again = (await rebuild()).get(path);
    return again && contentHash(again) === expected ? again.toString('utf8') : undefined;
  };
  const oldLabel = presetLabel(state.stored.versions, state.stored.preset);
  const labels = { yours: 'yours', base: `${oldLabel} (base)`, theirs: `${newLabel} (new)` };
  const paths = [...new Set([...state.records.keys(), ...theirs.keys()])].filter(path => !recordFiles.has(path)).sort();
  const required = requiredFiles(composition.generators);
  const files: FilePlan[] = [];
  for (const path of paths) {
    const record = state.records.get(path);
    const yours = readRepositoryText(state.dir, path);
    const newText = theirs.get(path)?.toString('utf8');
    const base = await baseOf(path, record);
    if (newText === undefined) {
      if (!record) continue;
      if (yours === undefined) files.push({ path, outcome: 'deleted', writes: false, note: 'removed upstream; you had deleted it already' });
      else if (contentHash(yours) === record.written || yours === base) files.push({ path, outcome: 'deleted', result: undefined, writes: true, yours, note: 'removed upstream' });
      else files.push({ path, outcome: 'conflict', writes: false, yours, removedUpstream: true, note: 'removed upstream, but you changed it: delete it or keep it, then pyrepo update --continue' });
      continue;
    }
    const generated = contentHash(newText);
    if (yours === undefined) {
      const requiredBy = required.get(path);
      if (record && requiredBy) files.push({ path, outcome: 'new', result: newText, writes: true, note: `you deleted it, but ${requiredBy} requires it: written again`, record: { generated, written: generated } });
      else if (record) files.push({ path, outcome: 'kept', writes: false, note: 'you deleted it: it stays deleted', record: { ...record, generated } });
      else files.push({ path, outcome: 'new', result: newText, writes: true, record: { generated, written: generated } });
      continue;
    }
    const merged = mergeThreeWay({ path, base, yours, theirs: newText, labels });
    const note = base === undefined && record ? 'no base: the recorded version could not be rebuilt (see docs/updating.md)' : undefined;
    const accepted = merged.text === yours ? record?.accepted : undefined;
    files.push({ path, outcome: merged.outcome, result: merged.text, writes: merged.text !== yours, yours, note, record: { generated, written: contentHash(merged.text), ...(accepted ? { accepted } : {}) } });
  }
  return { files, theirs, installed, oldLabel, newLabel, migrations, added, answers, composition, generations: recorded.generations };
}

type UpdatePlan = Awaited<ReturnType<typeof planUpdate>>;

/** A summary a pull request can quote (Markdown). */
export function updateSummary(plan: UpdatePlan, dryRun: boolean): string {
  const counts = new Map<Outcome, number>();
  for (const file of plan.files) counts.set(file.outcome, (counts.get(file.outcome) ?? 0) + 1);
  const lines = [`## pyrepo update${dryRun ? ' (dry run)' : ''}: ${plan.oldLabel} -> ${plan.newLabel}`, '', [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', '), ''];
  const shown = plan.files.filter(file => file.outcome !== 'unchanged');
  if (shown.length > 0) {
    lines.push('| file | outcome |', '| --- | --- |', ...shown.map(file => `| ${file.path} | ${file.outcome}${file.note ? ` (${file.note})` : ''} |`), '');
  }
  if (plan.added.length > 0) lines.push('New options:', ...plan.added.map(item => `- ${item.generator}: --${toFlag(item.option)} = ${JSON.stringify(item.value)}`), '');
  if (plan.migrations.length > 0) lines.push('Answers migrated:', ...plan.migrations.map(line => `- ${line}`), '');
  const conflicts = plan.files.filter(file => file.outcome === 'conflict');
  if (conflicts.length > 0) lines.push(`Conflicts (${conflicts.length}): resolve the markers, then \`pyrepo update --continue\` (or \`pyrepo update --abort\`):`, ...conflicts.map(file => `- ${file.path}`), '');
  return `${lines.join('\n')}\n`;
}

/** The records after the update: new versions, schema versions, migrated answers, file hashes. */
function recordsAfter(state: RepositoryState, plan: UpdatePlan): StoredConfig {
  const records = new Map(state.records);
  for (const file of plan.files) {
    if (file.outcome === 'deleted') records.delete(file.path);
    else if (file.record) records.set(file.path, file.record);
  }
  const generators: Record<string, JsonObject> = { ...(state.stored.generators ?? {}) };
  for (const [name, answers] of Object.entries(plan.answers)) generators[name] = answers;
  const conflicts = plan.files.filter(file => file.outcome === 'conflict').map(file => file.path);
  const removedUpstream = plan.files.filter(file => file.removedUpstream).map(file => file.path);
  const { updating: _finished, ...rest } = state.stored;
  return {
    ...rest,
    generators,
    record: recordFormat,
    generations: plan.generations,
    versions: sortedObject(plan.installed),
    schemas: sortedObject(plan.composition.generators.map(entry => [entry.name, schemaVersion(entry.schema)])),
    files: fileRecordsObject(records),
    ...(conflicts.length > 0 ? { updating: { from: plan.oldLabel, to: plan.newLabel, conflicts, removedUpstream } } : {}),
  };
}

async function writeUpdate(state: RepositoryState, plan: UpdatePlan): Promise<string[]> {
  const { RepositoryReader, writeFilesAtomically } = await import('@pyrepo/core/run');
  const changes: Array<{ path: string; contents?: Buffer }> = [];
  const before: Record<string, string | null> = {};
  for (const file of plan.files.filter(item => item.writes)) {
    changes.push({ path: join(state.dir, file.path), contents: file.result === undefined ? undefined : Buffer.from(file.result) });
    before[file.path] = file.yours ?? null;
  }
  const section = recordsAfter(state, plan);
  const snapshot = new Map([...plan.theirs].filter(([path]) => !recordFiles.has(path)).map(([path, contents]) => [path, contents.toString('utf8')]));
  for (const [path, text] of [[baseSnapshotFile, formatBaseSnapshot(snapshot)], ['.yo-rc.json', yoRcText(state, section)]] as const) {
    before[path] = readRepositoryText(state.dir, path) ?? null;
    changes.push({ path: join(state.dir, path), contents: Buffer.from(text) });
  }
  // An update that stops on conflicts keeps what it replaced, for --abort (git ignores the folder).
  if (section.updating) {
    changes.push({ path: join(state.dir, backupFolder, '.gitignore'), contents: Buffer.from('*\n') });
    changes.push({ path: join(state.dir, backupFile), contents: Buffer.from(`${JSON.stringify(sortedObject(Object.entries(before)), null, 1)}\n`) });
  }
  return writeFilesAtomically(new RepositoryReader(state.dir), changes);
}

/** Remove the abort backup of a finished or aborted update (in the same all-or-nothing write as the records). */
function backupRemovals(dir: string): Array<{ path: string; contents?: Buffer }> {
  return [backupFile, `${backupFolder}/.gitignore`].filter(path => readRepositoryText(dir, path) !== undefined).map(path => ({ path: join(dir, path) }));
}

function removeEmptyBackupFolder(dir: string): void {
  try {
    if (readdirSync(join(dir, backupFolder)).length === 0) rmdirSync(join(dir, backupFolder));
  } catch {
    // already gone
  }
}

async function continueUpdate(state: RepositoryState, context: RecordCommandContext): Promise<number> {
  const updating = state.stored.updating;
  if (!updating) throw new UsageError({ message: 'No update is under way in this repository.', fix: 'run pyrepo update to start one.' });
  const conflicts = Array.isArray(updating.conflicts) ? (updating.conflicts as string[]) : [];
  const left = await filesWithMarkers(state, conflicts);
  if (left.length > 0) {
    context.io.err(`pyrepo: conflict markers remain:\n${left.map(([path, lines]) => `  ${path}: lines ${lines.join(', ')}\n`).join('')}Resolve them, then run pyrepo update --continue again (or --abort).\n`);
    return updateExitCodes.conflicts;
  }
  const records = new Map(state.records);
  const removedUpstream = new Set(Array.isArray(updating.removedUpstream) ? (updating.removedUpstream as string[]) : []);
  for (const path of conflicts) {
    const text = readRepositoryText(state.dir, path);
    const record = records.get(path);
    // Deleted, or removed upstream and kept: no longer pyrepo's file.
    if (text === undefined || removedUpstream.has(path)) records.delete(path);
    else if (record) records.set(path, { ...record, written: contentHash(text), accepted: undefined });
  }
  const { updating: _done, ...rest } = state.stored;
  const { RepositoryReader, writeFilesAtomically } = await import('@pyrepo/core/run');
  await writeFilesAtomically(new RepositoryReader(state.dir), [...backupRemovals(state.dir), { path: join(state.dir, '.yo-rc.json'), contents: Buffer.from(yoRcText(state, { ...rest, files: fileRecordsObject(records) })) }]);
  removeEmptyBackupFolder(state.dir);
  context.io.out(`Update finished (${String(updating.from)} -> ${String(updating.to)}): ${conflicts.length} resolved file(s) recorded.\n`);
  return updateExitCodes.done;
}

async function abortUpdate(state: RepositoryState, context: RecordCommandContext): Promise<number> {
  if (!state.stored.updating) throw new UsageError({ message: 'No update is under way in this repository.', fix: 'nothing to abort.' });
  const saved = readRepositoryText(state.dir, backupFile);
  if (saved === undefined) throw new PyrepoError(`The update's backup ${backupFile} is missing: pyrepo cannot put the files back. Restore them with git (git checkout -- .), or finish with pyrepo update --continue.`, 1);
  const before = JSON.parse(saved) as Record<string, string | null>;
  const { RepositoryReader, writeFilesAtomically } = await import('@pyrepo/core/run');
  const changes = Object.entries(before).map(([path, text]) => ({ path: join(state.dir, path), contents: text === null ? undefined : Buffer.from(text) }));
  await writeFilesAtomically(new RepositoryReader(state.dir), [...backupRemovals(state.dir), ...changes]);
  removeEmptyBackupFolder(state.dir);
  context.io.out(`Update aborted: ${Object.keys(before).length} file(s) put back as they were before it.\n`);
  return updateExitCodes.done;
}

export async function runUpdate(dir: string, context: RecordCommandContext, argv: UpdateOptions & { continue: boolean; abort: boolean }): Promise<number> {
  const state = readRepositoryState(dir, 'update');
  if (argv.continue && argv.abort) throw new UsageError({ message: '--continue and --abort were both given.', fix: 'give one.' });
  if (argv.continue) return continueUpdate(state, context);
  if (argv.abort) return abortUpdate(state, context);
  if (state.stored.updating) {
    throw new PyrepoError(`An earlier update (${String(state.stored.updating.from)} -> ${String(state.stored.updating.to)}) stopped on conflicts and is not finished: resolve them, then run pyrepo update --continue, or pyrepo update --abort.`, updateExitCodes.unfinished);
  }
  const marked = await filesWithMarkers(state, [...state.records.keys()].filter(path => !recordFiles.has(path)));
  if (marked.length > 0) {
    throw new PyrepoError(`Conflict markers remain in ${marked.map(([path, lines]) => `${path} (lines ${lines.join(', ')})`).join(', ')}: resolve them before updating.`, updateExitCodes.unfinished);
  }
  const plan = await planUpdate(state, context, argv);
  const summary = updateSummary(plan, argv.dryRun);
  const conflicts = plan.files.filter(file => file.outcome === 'conflict');
  if (argv.dryRun) {
    const { unifiedDiff } = await import('@pyrepo/core/run');
    context.io.out(summary);
    for (const file of plan.files) {
      context.io.out(`${file.outcome.padStart(12)} ${file.path}\n`);
      if (file.writes) context.io.out(unifiedDiff(file.path, file.yours, file.result));
    }
    context.io.out('Dry run: nothing was written.\n');
    return conflicts.length > 0 ? updateExitCodes.conflicts : updateExitCodes.done;
  }
  const changed = await writeUpdate(state, plan);
  context.io.out(summary);
  if (changed.length > 0) {
    context.io.err(`pyrepo: these files changed while the update ran and were left as they are: ${changed.join(', ')}; run pyrepo update again.\n`);
    return updateExitCodes.changedDuringRun;
  }
  if (conflicts.length > 0) {
    context.io.err(`pyrepo: ${conflicts.length} conflict(s):\n${conflicts.map(file => `  ${file.path}\n`).join('')}Resolve them, then run pyrepo update --continue (or --abort).\n`);
    return updateExitCodes.conflicts;
  }
  return updateExitCodes.done;
}

export function updateCommand(context: RecordCommandContext): CommandModule {
  return {
    command: 'update',
    describe: 'Update the repository to the installed versions of its preset and generators, merging your changes',
    builder: (y: Argv) =>
      withRecordOptions(
        y,
        {
          to: { type: 'string', describe: 'The preset version to update to (must be the installed one; pyrepo fetches nothing)' },
          yes: { alias: 'y', type: 'boolean', describe: 'Never ask: new options take their defaults (listed in the summary)' },
          'dry-run': { type: 'boolean', describe: 'List each file as unchanged / fast-forward / kept / merged / conflict / new / deleted, with diffs; write nothing' },
          continue: { type: 'boolean', describe: 'Finish an update that stopped on conflicts, once they are resolved' },
          abort: { type: 'boolean', describe: 'Put back every file an unfinished update changed' },
        },
        'Load the team presets and generators the repository names (this run only)',
      ).epilogue(
          'Exit codes: 0 updated (or nothing to do); 1 conflicts written as markers (listed; resolve, then --continue) or failure; 2 bad usage; 3 a file changed during the run; 5 refused: an earlier update is unfinished or conflict markers remain.\nDocs: docs/updating.md',
        ),
    handler: async argv => {
      const dir = repositoryDir(context.io, argv.dir as string | undefined);
      context.setExitCode(await runUpdate(dir, context, { to: argv.to as string | undefined, yes: Boolean(argv.yes), dryRun: Boolean(argv.dryRun), trust: Boolean(argv.trust), continue: Boolean(argv.continue), abort: Boolean(argv.abort) }));
    },
  };
}
