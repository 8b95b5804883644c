import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Problem, UsageError } from './errors.js';
import { isPlainObject, readJsonFile, type JsonObject } from './json.js';
import { isPathRef, type GeneratorEntry, type PresetEntry, type Registry } from './registry.js';
import { checkPresetFile } from './schema.js';

/** A preset as written in preset.json. */
export interface PresetFile {
  name: string;
  description: string;
  extends?: string;
  seed?: string;
  context?: JsonObject;
  /** Inherited generators this preset swaps for others, in place: `{ "docker-prod": "@acme/docker-prod" }`. */
  replace?: Record<string, string>;
  /** Folders of templates that shadow a generator's own, by generator: `{ "docker-prod": "./templates/docker-prod" }`. */
  templates?: Record<string, string>;
  generators: Array<string | [string, JsonObject | false]>;
}

export interface PresetStep {
  entry: GeneratorEntry;
  options: JsonObject;
  /** Template folders searched before the generator's own, the most derived preset's first. */
  templateDirs: string[];
  /** The presets those folders belong to: rendering them runs those presets' code. */
  templatesFrom: PresetEntry[];
}

/** A preset with its `extends` chain applied: the generators in order, each with the preset's options. */
export interface ResolvedPreset {
  name: string;
  description: string;
  /** Names from the root ancestor to this preset. */
  chain: string[];
  /** The presets of the chain, root ancestor first: where each was found. */
  entries: PresetEntry[];
  context: JsonObject;
  steps: PresetStep[];
}

/**
 * Load a preset and everything it extends. Children override their parent's context and generator
 * options, append new generators, drop inherited ones with `[name, false]`, swap inherited ones for
 * others in place (`replace`) and shadow a generator's templates with their own (`templates`).
 */
export function resolvePreset(registry: Registry, ref: string, extendedBy: Array<{ name: string; file: string }> = []): ResolvedPreset {
  const child = extendedBy.at(-1);
  const entry = registry.requirePreset(ref, child ? ` (extended by preset "${child.name}")` : '');
  const cycleStart = extendedBy.findIndex(link => link.file === entry.file);
  if (cycleStart !== -1) {
    const loop = [...extendedBy.slice(cycleStart).map(link => link.name), extendedBy[cycleStart]!.name];
    throw new UsageError({
      message: loop.length === 2 ? `Preset "${loop[0]}" extends itself.` : `Presets extend each other in a cycle: ${loop.join(' -> ')}.`,
      fix: `remove "extends" from one of them (${entry.file}).`,
    });
  }
  const data = readJsonFile(entry.file, 'preset file', 'correct the preset file: it must be a JSON object (see @pyrepo/core/schemas/preset.schema.json).');
  const fileProblems = checkPresetFile(data);
  if (fileProblems.length > 0) {
    throw new UsageError({ message: `Preset ${entry.file} is invalid:\n    ${fileProblems.join('\n    ')}`, fix: 'correct preset.json (its schema is @pyrepo/core/schemas/preset.schema.json).' });
  }
  const preset = data as PresetFile;
  const link = { name: preset.name, file: entry.file };
  // Paths in a preset are relative to its file, wherever pyrepo runs.
  const fromPreset = (ref: string) => (isPathRef(ref) ? resolve(dirname(entry.file), ref) : ref);
  const parent = preset.extends ? resolvePreset(registry, fromPreset(preset.extends), [...extendedBy, link]) : undefined;

  const steps: PresetStep[] = parent ? parent.steps.map(step => ({ ...step, options: { ...step.options }, templateDirs: [...step.templateDirs], templatesFrom: [...step.templatesFrom] })) : [];
  const problems: Problem[] = [];
  const where = ` in preset "${preset.name}" (${entry.file})`;
  for (const [replaced, ref] of Object.entries(preset.replace ?? {})) {
    const index = steps.findIndex(step => step.entry.name === replaced);
    const generator = registry.findGenerator(fromPreset(ref));
    if (index === -1) problems.push({ message: `Preset "${preset.name}" replaces generator "${replaced}", which it does not inherit.`, fix: `remove "${replaced}" from "replace" in ${entry.file}.` });
    else if (!generator) problems.push(registry.unknown('generator', ref, where));
    else if (steps.some(step => step.entry.name === generator.name)) problems.push({ message: `Preset "${preset.name}" replaces generator "${replaced}" with "${ref}", which it already runs.`, fix: `drop "${replaced}" with ["${replaced}", false] instead, in ${entry.file}.` });
    // Options set for the generator it replaces were made for another schema: they do not carry over.
    else steps[index] = { ...steps[index]!, entry: generator, options: {} };
  }
  for (const item of preset.generators) {
    const [ref, options] = typeof item === 'string' ? [item, {}] : item;
    const generator = registry.findGenerator(fromPreset(ref));
    if (!generator) {
      problems.push(registry.unknown('generator', ref, where));
      continue;
    }
    const index = steps.findIndex(step => step.entry.name === generator.name);
    if (options === false) {
      if (index === -1) problems.push({ message: `Preset "${preset.name}" drops generator "${ref}", which it does not inherit.`, fix: `remove ["${ref}", false] from ${entry.file}.` });
      else steps.splice(index, 1);
    } else if (index === -1) steps.push({ entry: generator, options: { ...options }, templateDirs: [], templatesFrom: [] });
    else steps[index]!.options = { ...steps[index]!.options, ...(isPlainObject(options) ? options : {}) };
  }
  for (const [name, folder] of Object.entries(preset.templates ?? {})) {
    const step = steps.find(candidate => candidate.entry.name === name);
    const dir = resolve(dirname(entry.file), folder);
    if (!step) problems.push({ message: `Preset "${preset.name}" has templates for generator "${name}", which it does not run.`, fix: `remove "${name}" from "templates" in ${entry.file}, or add the generator.` });
    else if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) problems.push({ message: `Preset "${preset.name}" points the templates of "${name}" at ${dir}, which is not a folder.`, fix: `create it (its files shadow the generator's templates/ by path), or correct "templates" in ${entry.file}.` });
    else {
      step.templateDirs.unshift(dir);
      step.templatesFrom.unshift(entry);
    }
  }
  if (problems.length > 0) throw new UsageError(problems);
  return {
    name: preset.name,
    description: preset.description,
    chain: [...(parent?.chain ?? []), preset.name],
    entries: [...(parent?.entries ?? []), entry],
    context: { ...parent?.context, ...preset.context },
    steps,
  };
}
