import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Argv, CommandModule, Options } from 'yargs';
import {
  PyrepoError,
  UsageError,
  acceptedDeletion,
  compositionVersions,
  confirmTrust,
  contentHash,
  composeFromRecords,
  draftFromRecords,
  fileRecordsObject,
  newestForThisCore,
  parseSourceLabel,
  readRepositoryText,
  readRepositoryState,
  recordFiles,
  versionDifferences,
  yoRcText,
  type Registry,
  type RepositoryState,
} from '@pyrepo/core/host';
import { checkTargetFolder } from './target.js';

/** What the record commands need from the CLI around them. */
export interface RecordCommandContext {
  io: { out: (text: string) => void; err: (text: string) => void; cwd: string; interactive: boolean };
  registry: (cwd: string, trust: boolean, projectDir: string) => Registry;
  setExitCode: (code: number) => void;
}

/** `pyrepo check`'s exit codes (docs/updating.md): distinct, so CI can tell what to do. */
export const checkExitCodes = { inSync: 0, failed: 1, usage: 2, drift: 4, unfinished: 5, outdated: 6 } as const;

export type Finding =
  | { path: string; state: 'modified' | 'deleted' | 'missing' | 'not-generated' | 'stale-record' }
  | { path: string; state: 'markers'; lines: number[] };

export interface CheckReport {
  status: 'in-sync' | 'drift' | 'unfinished' | 'outdated';
  exitCode: number;
  files: number;
  findings: Finding[];
  /** Why the files were not regenerated (the installed versions are not the recorded ones); their hashes were compared. */
  notRegenerated?: string[];
  /** An update that stopped on conflicts. */
  unfinishedUpdate?: string[];
  /** Newer compatible versions (--outdated). */
  newer?: NewerVersion[];
}

/** A newer version of a recorded package that this pyrepo can run: `entry` is the records' key ("preset @acme/web"). */
export interface NewerVersion {
  entry: string;
  package: string;
  recorded: string;
  newest: string;
}

/** The repository folder of a record command: --dir, or the current folder. */
export function repositoryDir(io: RecordCommandContext['io'], dir: string | undefined): string {
  const path = resolve(io.cwd, dir ?? '.');
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError({ message: `Folder ${path} does not exist.`, fix: 'pass the folder of a repository pyrepo generated (--dir; default: the current one).' });
  checkTargetFolder(path);
  return path;
}

/**
 * The options every record command (check, update, accept) takes: --dir first, the command's own,
 * then --trust (with the command's wording) for the commands that may load team code.
 */
export function withRecordOptions(y: Argv, options: Record<string, Options>, trust?: string): Argv {
  return y.options({ dir: { type: 'string', describe: 'Repository folder (default: the current one)' }, ...options, ...(trust ? { trust: { type: 'boolean', describe: trust } } : {}) });
}

/** Resolve the preset and generators a repository's records name: team code is loaded only once trusted (--trust or the trusted list). */
export async function recordedComposition(state: RepositoryState, context: RecordCommandContext, trust: boolean) {
  const registry = context.registry(context.io.cwd, trust, state.dir);
  const recorded = await composeFromRecords(state, registry);
  await confirmTrust(recorded.composition, undefined);
  return { ...recorded, registry };
}

/**
 * Compare the working tree with the records, and (when the installed presets and generators are the
 * recorded ones) with what they generate from the recorded answers, in memory. Offline, except
 * `outdated`, which asks npm's registry for newer versions this pyrepo can run.
 */
export async function checkRepository(dir: string, context: RecordCommandContext, options: { trust: boolean; outdated: boolean }): Promise<CheckReport> {
  const state = readRepositoryState(dir, 'check');
  const { conflictMarkersIn, generateInMemory } = await import('@pyrepo/core/run');
  const findings: Finding[] = [];
  const unfinished = Array.isArray(state.stored.updating?.conflicts) ? (state.stored.updating.conflicts as string[]) : undefined;
  const recorded = await recordedComposition(state, context, options.trust);
  const { composition } = recorded;
  const differences = versionDifferences(state, compositionVersions(composition));
  let generated: Map<string, Buffer> | undefined;
  if (differences.length === 0) {
    generated = await generateInMemory(draftFromRecords(state, recorded.registry, recorded, state.stored.generators ?? {}));
  }
  for (const [path, record] of state.records) {
    if (recordFiles.has(path)) continue;
    const text = readRepositoryText(dir, path);
    const lines = text === undefined ? [] : conflictMarkersIn(text);
    if (lines.length > 0) findings.push({ path, state: 'markers', lines });
    else if (text === undefined) {
      if (record.accepted !== acceptedDeletion) findings.push({ path, state: 'deleted' });
    } else {
      const hash = contentHash(text);
      if (hash !== record.written && hash !== record.accepted) findings.push({ path, state: 'modified' });
    }
    if (!generated || record.generated === undefined) continue;
    const now = generated.get(path);
    if (!now) findings.push({ path, state: 'not-generated' });
    else if (contentHash(now) !== record.generated) findings.push({ path, state: 'stale-record' });
  }
  for (const path of generated?.keys() ?? []) {
    if (!recordFiles.has(path) && !state.records.has(path)) findings.push({ path, state: 'missing' });
  }
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const newer = options.outdated ? newerVersions(state) : [];
  const markers = findings.some(finding => finding.state === 'markers');
  const status = unfinished || markers ? 'unfinished' : findings.length > 0 ? 'drift' : newer.length > 0 ? 'outdated' : 'in-sync';
  const exitCode = { 'in-sync': checkExitCodes.inSync, drift: checkExitCodes.drift, unfinished: checkExitCodes.unfinished, outdated: checkExitCodes.outdated }[status];
  return {
    status,
    exitCode,
    files: [...state.records.keys()].filter(path => !recordFiles.has(path)).length,
    findings,
    ...(differences.length > 0 ? { notRegenerated: differences } : {}),
    ...(unfinished ? { unfinishedUpdate: unfinished } : {}),
    ...(options.outdated ? { newer } : {}),
  };
}

/**
 * Newer versions of the packages a repository was generated with, that this pyrepo can run (their
 * @pyrepo/core range accepts its core, as when they load; a new major of a team preset counts:
 * `pyrepo update` migrates its answers). Asked of the registry npm is configured with, never of one
 * the records name: a repository must not choose where npm sends the user's credentials.
 */
function newerVersions(state: RepositoryState): NewerVersion[] {
  const newer: NewerVersion[] = [];
  for (const [entry, label] of Object.entries(state.stored.versions ?? {})) {
    const { packageName, version } = parseSourceLabel(label);
    if (!packageName || !version) continue;
    const result = spawnSync('npm', ['view', `${packageName}@>${version}`, 'version', 'peerDependencies', 'dependencies', '--json'], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) {
      if (/E404/.test(result.stdout + result.stderr)) continue; // not in the registry, or nothing newer
      throw new PyrepoError(`check --outdated could not ask npm's registry about ${packageName}: ${(result.error?.message ?? result.stderr).trim().split('\n').slice(-2).join(' ')}`, checkExitCodes.failed);
    }
    const found = result.stdout.trim() === '' ? [] : ([] as Array<{ version: string }>).concat(JSON.parse(result.stdout) as { version: string });
    const newest = newestForThisCore(found);
    if (newest) newer.push({ entry, package: packageName, recorded: version, newest });
  }
  return newer;
}

const findingText: Record<Finding['state'], string> = {
  modified: 'changed since pyrepo wrote it (not recorded: pyrepo update merges it, or pyrepo accept records it)',
  deleted: 'deleted since pyrepo wrote it (pyrepo accept records the deletion)',
  missing: 'pyrepo would write it at the recorded versions, but it is neither here nor recorded',
  'not-generated': 'recorded, but the recorded versions no longer generate it',
  'stale-record': "the recorded versions generate something else than its record says (.yo-rc.json's \"files\" was edited, or a generator is not deterministic)",
  markers: 'unresolved conflict markers',
};

export function describeCheck(report: CheckReport): string {
  const lines: string[] = [];
  if (report.unfinishedUpdate) lines.push(`An update stopped on conflicts and is not finished: resolve ${report.unfinishedUpdate.join(', ')}, then run \`pyrepo update --continue\` (or \`--abort\`).`);
  for (const finding of report.findings) lines.push(`  ${finding.path}: ${findingText[finding.state]}${finding.state === 'markers' ? ` (lines ${finding.lines.join(', ')})` : ''}`);
  if (report.notRegenerated) lines.push(`Not regenerated (the installed presets and generators are not the recorded ones; files compared with their recorded hashes only):\n${report.notRegenerated.map(line => `  ${line}`).join('\n')}`);
  for (const item of report.newer ?? []) lines.push(`  newer: ${item.entry}: ${item.package} ${item.recorded} -> ${item.newest}`);
  const verdict = {
    'in-sync': `In sync: ${report.files} generated file(s) are as recorded.`,
    drift: `Drift (exit ${checkExitCodes.drift}): ${report.findings.length} file(s) differ from the records.`,
    unfinished: `Unfinished update or conflict markers (exit ${checkExitCodes.unfinished}).`,
    outdated: `Newer compatible versions exist (exit ${checkExitCodes.outdated}): pyrepo update.`,
  }[report.status];
  return `${[...lines, verdict].join('\n')}\n`;
}

export function checkCommand(context: RecordCommandContext): CommandModule {
  return {
    command: 'check',
    describe: 'For CI: compare the repository with what pyrepo recorded and regenerates (offline)',
    builder: (y: Argv) =>
      withRecordOptions(
        y,
        {
          format: { choices: ['text', 'json'], default: 'text', describe: 'Output format' },
          outdated: { type: 'boolean', describe: "Also ask npm's registry for newer versions this pyrepo can run (exit 6)" },
        },
        'Load the recorded team presets and generators (this run only)',
      ).epilogue(
          'Exit codes: 0 in sync; 4 drift (a generated file changed, deleted or missing, and not accepted); 5 an unfinished update or conflict markers; 6 newer compatible versions (only with --outdated); 1 failure; 2 bad usage.\nDocs: docs/updating.md',
        ),
    handler: async argv => {
      const report = await checkRepository(repositoryDir(context.io, argv.dir as string | undefined), context, { trust: Boolean(argv.trust), outdated: Boolean(argv.outdated) });
      context.io.out(argv.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : describeCheck(report));
      context.setExitCode(report.exitCode);
    },
  };
}

export function acceptCommand(context: RecordCommandContext): CommandModule {
  return {
    command: 'accept <files..>',
    describe: 'Record that generated files differ on purpose, so that check stops reporting them',
    builder: (y: Argv) =>
      withRecordOptions(y.positional('files', { type: 'string', array: true, describe: 'Files pyrepo generated (changed or deleted by you)' }), {}).epilogue('Exit codes: 0 recorded; 1 failure; 2 bad usage (a file pyrepo did not generate, or with conflict markers). Docs: docs/updating.md'),
    handler: async argv => {
      const dir = repositoryDir(context.io, argv.dir as string | undefined);
      const state = readRepositoryState(dir, 'accept');
      const { conflictMarkersIn, RepositoryReader, writeFilesAtomically } = await import('@pyrepo/core/run');
      const accepted: string[] = [];
      for (const file of argv.files as string[]) {
        const path = relative(dir, resolve(context.io.cwd, file)).split('\\').join('/');
        const record = state.records.get(path);
        if (!record || recordFiles.has(path)) throw new UsageError({ message: `${file} is not a file pyrepo generated in ${dir} (it has no line in .yo-rc.json's "files").`, fix: 'name a generated file, relative to the current folder.' });
        const text = readRepositoryText(dir, path);
        if (text !== undefined && conflictMarkersIn(text).length > 0) throw new UsageError({ message: `${path} has conflict markers.`, fix: 'resolve them first (then pyrepo update --continue, if an update left them).' });
        state.records.set(path, { ...record, accepted: text === undefined ? acceptedDeletion : contentHash(text) });
        accepted.push(path);
      }
      await writeFilesAtomically(new RepositoryReader(dir), [{ path: join(dir, '.yo-rc.json'), contents: Buffer.from(yoRcText(state, { ...state.stored, files: fileRecordsObject(state.records) })) }]);
      context.io.out(`Accepted (recorded in .yo-rc.json; pyrepo check no longer reports them until they change again):\n${accepted.map(path => `  ${path}\n`).join('')}`);
    },
  };
}
