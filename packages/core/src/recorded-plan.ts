import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { contextKeys } from './context.js';
import { UsageError } from './errors.js';
import { isPlainObject, type JsonObject } from './json.js';
import { composePlan, draftPlan, resolveGeneratorsFor, type Composition, type PlanDraft } from './plan.js';
import { resolvePreset } from './presets.js';
import { baseSnapshotFile, formatGeneration, parseSourceLabel, readBaseSnapshot, readFileRecords, recordedGenerations, sourceLabel, type FileRecord } from './records.js';
import type { Registry } from './registry.js';
import { readRegularFile } from './regular-file.js';
import { configKey, readStoredConfig, type StoredConfig } from './stored-config.js';

/** What a repository recorded about its last generation (records.ts), read for `update`, `check` and `accept`. */
export interface RepositoryState {
  dir: string;
  stored: StoredConfig;
  records: Map<string, FileRecord>;
  /** The base snapshot: generated text by path. */
  snapshot: Map<string, string>;
  /** The whole .yo-rc.json (other generators' sections are written back as they are). */
  yoRc: JsonObject;
}

/** Files of the records themselves: never merged, never reported. */
export const recordFiles = new Set(['.yo-rc.json', baseSnapshotFile]);

export function readRepositoryState(dir: string, command: string): RepositoryState {
  const stored = readStoredConfig(dir);
  if (!stored.preset && !stored.generators) {
    throw new UsageError({ message: `${dir} has no pyrepo records (.yo-rc.json with a "${configKey}" section): pyrepo did not generate it.`, fix: `run \`pyrepo ${command}\` in a repository made by \`pyrepo new\` or \`pyrepo add\` (or pass --dir).` });
  }
  const read = readRegularFile(join(dir, '.yo-rc.json'), '.yo-rc.json');
  const yoRc = JSON.parse(read!.contents.toString('utf8')) as JsonObject;
  return { dir, stored, records: readFileRecords(stored.files), snapshot: readBaseSnapshot(dir), yoRc };
}

/** .yo-rc.json as Yeoman writes it, with pyrepo's section replaced. */
export function yoRcText(state: RepositoryState, section: StoredConfig): string {
  return `${JSON.stringify({ ...state.yoRc, [configKey]: section }, null, 2)}\n`;
}

/**
 * What regenerates a repository from its records alone: every recorded generation (records.ts
 * `generations`: the preset's run and the generators added since, with their recorded answers),
 * composed as one run, into a folder that does not exist (named like the repository), so that
 * nothing of the user's files is read. The last preset run gives the composition its preset (its
 * generators' options and templates); the generators of the other generations follow in the order
 * they were added.
 */
export async function composeFromRecords(state: RepositoryState, registry: Registry): Promise<{ request: RecordedRequest; composition: Composition; generations: string[] }> {
  const targetDir = join(tmpdir(), `pyrepo-regenerate-${randomBytes(6).toString('hex')}`, basename(resolve(state.dir)));
  const generations = recordedGenerations(state.stored, name => resolvePreset(registry, name).steps.map(step => step.entry.name));
  const preset = generations.findLast((generation): generation is { preset: string } => 'preset' in generation)?.preset;
  const named = generations.flatMap(generation => ('preset' in generation ? (generation.preset === preset ? [] : resolvePreset(registry, generation.preset).steps.map(step => step.entry.name)) : generation.generators));
  const request = { targetDir, preset, generators: preset ? undefined : named };
  const composition = await composePlan(request, registry);
  if (preset) {
    const added = named.filter(name => !composition.generators.some(entry => entry.name === name));
    composition.generators = [...composition.generators, ...resolveGeneratorsFor(added, registry)];
  }
  return { request, composition, generations: generations.map(formatGeneration) };
}

export interface RecordedRequest {
  targetDir: string;
  preset?: string;
  generators?: string[];
}

/**
 * The draft of that composition with the recorded facts (a repository written before the records:
 * the facts the user chose, the rest derived again) and the given answers. Run it with
 * generateInMemory.
 */
export function draftFromRecords(state: RepositoryState, registry: Registry, recorded: { request: RecordedRequest; composition: Composition }, answers: Record<string, JsonObject>): PlanDraft {
  const facts = (state.stored.facts ?? state.stored.project ?? {}) as JsonObject;
  const values: JsonObject = Object.fromEntries(Object.entries(facts).filter(([key]) => (contextKeys as string[]).includes(key)));
  for (const [name, chosen] of Object.entries(answers)) if (isPlainObject(chosen) && Object.keys(chosen).length > 0) values[name] = chosen;
  return draftPlan({ ...recorded.request, values, interactive: false }, registry, recorded.composition);
}

/** The version labels of a composition, keyed as the records key them ("preset x", "generator y"). */
export function compositionVersions(composition: Composition): Map<string, string> {
  const versions = new Map<string, string>();
  for (const entry of composition.preset?.entries ?? []) versions.set(`preset ${entry.name}`, sourceLabel(entry.source));
  for (const entry of composition.generators) versions.set(`generator ${entry.name}`, sourceLabel(entry.source));
  return versions;
}

/**
 * Where the installed presets and generators differ from the recorded ones ("generator uwsgi:
 * recorded 0.1.0, installed 0.2.0"); empty when the records can be regenerated exactly. A
 * repository written before the records has none: nothing to compare (its files' hashes are).
 */
export function versionDifferences(state: RepositoryState, installed: Map<string, string>): string[] {
  const recorded = state.stored.versions;
  if (!recorded) return [];
  const differences: string[] = [];
  for (const key of new Set([...Object.keys(recorded), ...installed.keys()])) {
    const was = recorded[key] === undefined ? undefined : parseSourceLabel(recorded[key]);
    const now = installed.has(key) ? parseSourceLabel(installed.get(key)!) : undefined;
    if (was?.packageName === now?.packageName && was?.version === now?.version && was?.type === now?.type) continue;
    const show = (label?: { type: string; packageName?: string; version?: string }) => (label ? (label.packageName ? `${label.packageName}@${label.version}` : label.type) : 'none');
    differences.push(`${key}: recorded ${show(was)}, installed ${show(now)}`);
  }
  return differences;
}

/** A file of the repository as text (undefined: missing): bounded, never through a link, never a device or a FIFO. */
export function readRepositoryText(dir: string, path: string): string | undefined {
  return readRegularFile(join(dir, path), path)?.contents.toString('utf8');
}
