import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PyrepoError, UsageError } from './errors.js';
import { isPlainObject, type JsonObject } from './json.js';
import type { EntrySource } from './registry.js';
import type { AnswersMigration, GeneratorSchema } from './schema.js';
import { readRegularFile } from './regular-file.js';
import type { StoredConfig } from './stored-config.js';
import { compareCodeUnits } from './text.js';

/**
 * What pyrepo records about each generation, in the repository (docs/updating.md, "What is
 * recorded"): in .yo-rc.json's pyrepo section, next to the answers Yeoman already keeps there,
 *   record    the format of these records (absent: a repository written before them);
 *   generations  every generation that wrote files, in order: "preset <name>" (`pyrepo new`, `yo
 *             pyrepo:<preset>`) or "generators <name> ..." (`pyrepo add`, `yo pyrepo:<generator>`);
 *             check and update rebuild their union (their options are in `generators`);
 *   versions  "preset <name>" / "generator <name>" -> where it came from and its exact version;
 *   schemas   generator -> the version of its options schema the answers were validated against;
 *   facts     every project fact the generators got, so the output can be rebuilt offline;
 *   files     path -> "<generated> <written>[ <accepted>]" (sha256 of what the generators produced
 *             on their own, "-" when unknown; of what pyrepo wrote after merging with your file;
 *             of the contents `pyrepo accept` recorded);
 * and in .pyrepo-base.json, the generated text of each file (the base of the next update).
 * Every map is sorted and one entry per line, so re-runs change only what changed and git merges it.
 */
export const recordFormat = 3;
export const baseSnapshotFile = '.pyrepo-base.json';

/** One generation that wrote files: a preset's run, or generators added by name. */
export type Generation = { preset: string } | { generators: string[] };

export function formatGeneration(generation: Generation): string {
  return 'preset' in generation ? `preset ${generation.preset}` : `generators ${generation.generators.join(' ')}`;
}

function parseGeneration(line: unknown): Generation {
  const [kind, ...names] = typeof line === 'string' ? line.split(' ') : [];
  if (kind === 'preset' && names.length === 1 && names[0] !== '') return { preset: names[0]! };
  if (kind === 'generators' && names.length > 0 && names.every(name => name !== '')) return { generators: names };
  throw new UsageError({
    message: `.yo-rc.json: "generations" holds ${JSON.stringify(line)}, which is not a generation ("preset <name>" or "generators <name> ...").`,
    fix: 'correct that line (or remove it and the generations after it, then run pyrepo add for those generators again).',
  });
}

/**
 * The generations a repository's records name, in order. Records of format 2 and older kept only
 * the last preset and every generator's answers: they are read as that preset's run followed by
 * one run of the generators it does not have (`presetGenerators` names the preset's generators;
 * undefined when the preset cannot be resolved: all of them are taken, the preset's own ones are
 * the same generators once composed).
 */
export function recordedGenerations(stored: Pick<StoredConfig, 'generations' | 'preset' | 'generators'>, presetGenerators: (preset: string) => string[] | undefined): Generation[] {
  if (stored.generations !== undefined) {
    if (!Array.isArray(stored.generations)) throw new UsageError({ message: `.yo-rc.json: "generations" is ${JSON.stringify(stored.generations)}, not a list.`, fix: 'correct it, or remove it (pyrepo then reads the preset and the generators recorded).' });
    return stored.generations.map(parseGeneration);
  }
  const generations: Generation[] = stored.preset ? [{ preset: stored.preset }] : [];
  const ofPreset = new Set(stored.preset ? (presetGenerators(stored.preset) ?? []) : []);
  const added = Object.keys(stored.generators ?? {}).filter(name => !ofPreset.has(name));
  if (added.length > 0) generations.push({ generators: added });
  return generations;
}

/**
 * The generations after one more run, so that re-runs change nothing: a preset's run is appended
 * unless it is recorded already; a run of generators by name, with only those no recorded generation
 * has (`presetGenerators`: the recorded preset's own), and not at all when none is new.
 */
export function withGeneration(generations: Generation[], run: Generation, presetGenerators: Iterable<string>): string[] {
  const lines = generations.map(formatGeneration);
  if ('preset' in run) return lines.includes(formatGeneration(run)) ? lines : [...lines, formatGeneration(run)];
  const covered = new Set([...presetGenerators, ...generations.flatMap(generation => ('generators' in generation ? generation.generators : []))]);
  const added = run.generators.filter(name => !covered.has(name));
  return added.length === 0 ? lines : [...lines, formatGeneration({ generators: added })];
}

export interface FileRecord {
  /** Hash of what the generators produced on their own; undefined when the run could not know it. */
  generated?: string;
  /** Hash of what pyrepo wrote (after merging with the file on disk). */
  written: string;
  /** Hash of the contents `pyrepo accept` recorded as an intended divergence (or "deleted"). */
  accepted?: string;
}

export function contentHash(contents: Buffer | string): string {
  return createHash('sha256').update(contents).digest('hex');
}

const hashPattern = /^[0-9a-f]{64}$/;
/** The accepted token of a file the user deleted on purpose. */
export const acceptedDeletion = 'deleted';

/** One line of `files`; a bare hash is the format of repositories written before the records (what was written). */
export function parseFileRecord(value: unknown): FileRecord | undefined {
  if (typeof value !== 'string') return undefined;
  const [generated, written, accepted, extra] = value.split(' ');
  if (written === undefined) return hashPattern.test(value) ? { written: value } : undefined;
  if (extra !== undefined || !hashPattern.test(written) || (generated !== '-' && !hashPattern.test(generated!)) || (accepted !== undefined && accepted !== acceptedDeletion && !hashPattern.test(accepted))) return undefined;
  return { generated: generated === '-' ? undefined : generated, written, accepted };
}

export function formatFileRecord(record: FileRecord): string {
  return [record.generated ?? '-', record.written, ...(record.accepted ? [record.accepted] : [])].join(' ');
}

/** The `files` records of a stored config (both formats); entries that are not records are dropped. */
export function readFileRecords(value: unknown): Map<string, FileRecord> {
  const records = new Map<string, FileRecord>();
  if (!isPlainObject(value)) return records;
  for (const [path, line] of Object.entries(value)) {
    const record = parseFileRecord(line);
    if (record) records.set(path, record);
  }
  return records;
}

export function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compareCodeUnits(a, b)));
}

export function fileRecordsObject(records: Map<string, FileRecord>): Record<string, string> {
  return sortedObject([...records].map(([path, record]) => [path, formatFileRecord(record)]));
}

/**
 * Where a preset or generator came from, exactly: "built-in @pyrepo/generator-uwsgi@0.1.0",
 * "package @acme/pyrepo-preset-web@1.2.0 from https://registry.example/" (the registry npm installed
 * it from, when its lockfile says), or "path" (never loaded again from a repository's record).
 */
export function sourceLabel(source: EntrySource): string {
  if (source.type === 'path') return 'path';
  const from = source.type === 'package' ? installedFrom(source.path, source.packageName) : undefined;
  return `${source.type} ${source.packageName}@${source.version}${from ? ` from ${from}` : ''}`;
}

/** The registry npm installed a package from, as node_modules/.package-lock.json records it. */
function installedFrom(dir: string, packageName: string): string | undefined {
  const at = dir.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const lock = join(dir.slice(0, at), 'node_modules', '.package-lock.json');
  try {
    const read = readRegularFile(lock, lock);
    const packages = read ? (JSON.parse(read.contents.toString('utf8')) as { packages?: Record<string, { resolved?: string }> }).packages : undefined;
    const resolved = packages?.[`node_modules/${packageName}`]?.resolved;
    const origin = resolved?.split(`/${packageName}/-/`)[0];
    return origin && origin !== resolved ? `${origin}/` : undefined;
  } catch {
    return undefined;
  }
}

/** Parse a version label back: the package and version it names, if any. */
export function parseSourceLabel(label: string): { type: string; packageName?: string; version?: string } {
  const match = /^(built-in|package) ((?:@[^/ ]+\/)?[^@ ]+)@(\S+)/.exec(label);
  return match ? { type: match[1]!, packageName: match[2], version: match[3] } : { type: label.split(' ')[0] ?? label };
}

export function schemaVersion(schema: GeneratorSchema): number {
  return schema['x-version'] ?? 1;
}

export interface MigratedAnswers {
  answers: JsonObject;
  renamed: Array<[string, string]>;
  removed: string[];
  /** Options the new versions added: asked, or with --yes given their defaults (and listed). */
  added: string[];
}

/**
 * Move a generator's recorded answers from schema version `from` to the schema's own, step by step
 * through the migrations it declares (data: rename, remove, add). A missing step is an error naming
 * the generator: answers are never carried across versions unexplained.
 */
export function migrateAnswers(generator: string, schema: GeneratorSchema, answers: JsonObject, from: number): MigratedAnswers {
  const to = schemaVersion(schema);
  const result: MigratedAnswers = { answers: { ...answers }, renamed: [], removed: [], added: [] };
  if (from > to) throw new PyrepoError(`Generator ${generator}: the repository's answers were validated against its options schema version ${from}, newer than the installed one (${to}). Install the version recorded in .yo-rc.json (see its "versions"), or a newer one.`, 1);
  for (let version = from + 1; version <= to; version++) {
    const step: AnswersMigration | undefined = schema['x-migrations']?.find(migration => migration.to === version);
    if (!step) throw new PyrepoError(`Generator ${generator} declares no migration of its answers to schema version ${version} (x-migrations in its schema.json); pyrepo cannot carry this repository's answers over.`, 1);
    for (const [old, renamed] of Object.entries(step.rename ?? {})) {
      if (!(old in result.answers)) continue;
      result.answers[renamed] = result.answers[old]!;
      delete result.answers[old];
      result.renamed.push([old, renamed]);
    }
    for (const removed of step.remove ?? []) {
      if (!(removed in result.answers)) continue;
      delete result.answers[removed];
      result.removed.push(removed);
    }
    result.added.push(...(step.add ?? []).filter(name => !(name in result.answers)));
  }
  return result;
}

/**
 * The files a composition's generators mark required (schema.json `x-required-files`), each with the
 * first generator that does: a deleted one is written again by update and re-runs, never kept deleted.
 */
export function requiredFiles(entries: Iterable<{ name: string; schema: GeneratorSchema }>): Map<string, string> {
  const required = new Map<string, string>();
  for (const entry of entries) for (const path of entry.schema['x-required-files'] ?? []) if (!required.has(path)) required.set(path, entry.name);
  return required;
}

/**
 * The bounds of the base snapshot: it is committed with the repository, so it holds the generated
 * text of ordinary source files only (each at most 64 KiB, 1 MiB in all, in path order); a file left
 * out is rebuilt when the recorded versions are installed, or merged without a base (docs/updating.md).
 */
export const baseSnapshotLimits = { file: 64 * 1024, total: 1024 * 1024 } as const;

/** The base snapshot's text: a JSON object, sorted, one file a line (its text JSON-escaped), within baseSnapshotLimits. */
export function formatBaseSnapshot(texts: Map<string, string>): string {
  let total = 0;
  const kept = [...texts]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .filter(([, text]) => {
      const size = Buffer.byteLength(text);
      if (size > baseSnapshotLimits.file || total + size > baseSnapshotLimits.total) return false;
      total += size;
      return true;
    });
  const lines = kept.map(([path, text]) => `${JSON.stringify(path)}: ${JSON.stringify(text)}`);
  return lines.length === 0 ? '{}\n' : `{\n${lines.join(',\n')}\n}\n`;
}

/** The base snapshot of a repository (none: empty); an entry is used only when its hash matches the record's generated hash. */
export function readBaseSnapshot(dir: string): Map<string, string> {
  const file = join(dir, baseSnapshotFile);
  try {
    const read = readRegularFile(file, baseSnapshotFile);
    if (!read) return new Map();
    const data = JSON.parse(read.contents.toString('utf8')) as unknown;
    if (!isPlainObject(data)) return new Map();
    return new Map(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return new Map(); // a broken (or oversized, or linked) snapshot is no base: its files are rebuilt, or merged without one
  }
}
