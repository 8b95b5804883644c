import { resolve } from 'node:path';
import { checkComposition } from './composition-checks.js';
import { type ContextDraft, type ContextKey, type ContextSource, type Framework, type ProjectContext, contextKeys, modelFactKeys, draftContext, finalizeContext, rederive } from './context.js';
import { frameworkRuntimes } from './frameworks.js';
import { inspectProject, modelValues, type ProjectModel } from './project-model.js';
import { type Problem, UsageError, didYouMean } from './errors.js';
import { fromFlag, isPlainObject, showValue, toFlag, type JsonObject } from './json.js';
import { resolvePreset, type PresetStep, type ResolvedPreset } from './presets.js';
import type { GeneratorEntry, PresetEntry, Registry } from './registry.js';
import { contextSchema, resolveOption, validateOptions, type GeneratorSchema, type OptionSchema, type PromptSpec } from './schema.js';
import { readStoredConfig, type StoredConfig } from './stored-config.js';
import { requireTrusted, type Trust } from './trust.js';

/** What the user asked for: a preset or a list of generators, into a folder, with option values. */
export interface PlanRequest {
  targetDir: string;
  preset?: string;
  generators?: string[];
  /**
   * Values from the command line and the answers file: project facts (`name`, `python`, ...),
   * generator options given flat (`lineLength`, applies to every generator that has it) or
   * nested under a generator's name (`{ "pyproject": { "lineLength": 100 } }`).
   */
  values: JsonObject;
  /** Ask for what is missing; false means defaults (`--yes`, or no terminal). */
  interactive: boolean;
}

export type ValueSource = 'option' | 'stored' | 'preset' | 'prompt';

export interface DraftStep {
  entry: GeneratorEntry;
  values: JsonObject;
  sources: Record<string, ValueSource>;
  /** Template folders the preset puts before the generator's own. */
  templateDirs: string[];
  /** The presets those folders belong to. */
  templatesFrom: PresetEntry[];
}

/**
 * What a request composes, found before any value is looked at: the preset and what it extends,
 * the generators, and the preset steps that give them options and templates (this run's preset,
 * or the one the repository was made from). What trust.ts asks about.
 */
export interface Composition {
  targetDir: string;
  preset?: ResolvedPreset;
  generators: GeneratorEntry[];
  /** Each generator's step in that preset, by generator name. */
  presetSteps: Map<string, PresetStep>;
  stored: StoredConfig;
  /** What the user trusts (the registry's): nothing outside it is loaded (see trust.ts). */
  trust?: Trust;
  /** What the repository says about itself (read, never run). */
  model: ProjectModel;
}

/** A plan whose values may still be prompted for; nothing is validated as a whole yet. */
export interface PlanDraft extends Composition {
  context: ContextDraft;
  steps: DraftStep[];
  interactive: boolean;
}

export interface PlanStep {
  entry: GeneratorEntry;
  /** Validated options, defaults applied. */
  options: JsonObject;
  /** The options the user chose (command line, answers, prompts, .yo-rc.json): stored for re-runs. */
  chosen: JsonObject;
  /** Template folders the preset puts before the generator's own. */
  templateDirs: string[];
}

/** The whole composition, validated: safe to run. */
export interface Plan {
  targetDir: string;
  preset?: { name: string; chain: string[] };
  project: ProjectContext;
  /** Where each project fact came from, and for detected ones, where in the repository. */
  projectSources: Partial<Record<ContextKey, ContextSource>>;
  detectedFrom: Partial<Record<ContextKey, string>>;
  steps: PlanStep[];
}

/** The composition a request names: its preset (and what it extends) or generators, the repository's stored config and its project model. */
export async function composePlan(request: Pick<PlanRequest, 'targetDir' | 'preset' | 'generators'>, registry: Registry): Promise<Composition> {
  const targetDir = resolve(request.targetDir);
  const preset = request.preset ? resolvePreset(registry, request.preset) : undefined;
  const generators = preset ? preset.steps.map(step => step.entry) : resolveGeneratorsFor(request.generators ?? [], registry);
  const stored = readStoredConfig(targetDir);
  // A generator added again to a repository made from a preset keeps that preset's options for it.
  const presetSteps = new Map((preset ?? storedPreset(stored, registry))?.steps.map(step => [step.entry.name, step]));
  return { targetDir, preset, generators, presetSteps, stored, trust: registry.trust, model: await inspectProject(targetDir) };
}

/**
 * Resolve what a request means: its composition (`composePlan`, unless given), the project facts
 * from every layer, and each generator's option values. Throws a UsageError naming every problem;
 * when not interactive, the draft is validated whole, so a returned draft is ready to finalize.
 * A composition with untrusted code is refused first: its schemas are not even compiled.
 */
export function draftPlan(request: PlanRequest, registry: Registry, composition: Composition): PlanDraft {
  requireTrusted(composition);
  const { targetDir, preset, generators: entries, presetSteps, stored } = composition;
  const problems: Problem[] = [];

  const contextValues: JsonObject = {};
  const nested = new Map<string, JsonObject>();
  const flat: JsonObject = {};
  const stepNames = new Set(entries.map(entry => entry.name));
  // Options nested under a generator's name; its camelCase spelling too (yargs turns --docker-prod.x into dockerProd).
  const stepForKey = new Map(entries.flatMap(entry => [[entry.name, entry.name], [fromFlag(entry.name), entry.name]]));
  for (const [key, value] of Object.entries(request.values)) {
    if (value === undefined) continue;
    const step = stepForKey.get(key);
    if ((contextKeys as string[]).includes(key)) contextValues[key] = value;
    else if (step && isPlainObject(value)) nested.set(step, { ...nested.get(step), ...value });
    else flat[key] = value;
  }
  for (const [key, value] of Object.entries(flat)) {
    if (entries.some(entry => key in entry.schema.properties)) continue;
    const known = [...contextKeys, ...entries.flatMap(entry => Object.keys(entry.schema.properties)), ...stepNames];
    const isGeneratorName = registry.findGenerator(key) !== undefined;
    problems.push({
      message: isGeneratorName
        ? `Options for generator "${key}" were given, but it is not part of this ${preset ? `preset (${preset.name})` : 'run'}.`
        : `Unknown option --${toFlag(key)} (value ${showValue(value)}): no generator in this ${preset ? `preset (${preset.name})` : 'run'} takes it.${didYouMean(key, known, n => `--${toFlag(n)}`)}`,
      fix: `remove it; \`pyrepo info ${preset?.name ?? entries[0]?.name ?? '<name>'}\` lists the options.`,
    });
  }

  const context = draftContext({
    option: contextValues,
    stored: (stored.project ?? {}) as Partial<Record<ContextKey, unknown>>,
    preset: (preset?.context ?? {}) as Partial<Record<ContextKey, unknown>>,
    detected: modelValues(composition.model),
    detectedFrom: Object.fromEntries(Object.entries(composition.model.facts).map(([key, fact]) => [key, fact!.from])),
    targetDir,
  });
  // The framework's own generator, when part of the run, establishes facts the repository does not have yet.
  const framework = context.values.framework;
  const creator = typeof framework === 'string' && stepNames.has(framework) ? frameworkRuntimes[framework as Framework] : undefined;
  if (creator) {
    context.create = values => creator.creates(values as ProjectContext);
    rederive(context);
  }

  const steps = entries.map(entry => {
    const values: JsonObject = {};
    const sources: Record<string, ValueSource> = {};
    const layers: Array<[ValueSource, JsonObject | undefined]> = [
      ['option', { ...pick(flat, Object.keys(entry.schema.properties)), ...nested.get(entry.name) }],
      ['stored', stored.generators?.[entry.name]],
      ['preset', presetSteps.get(entry.name)?.options],
    ];
    for (const [source, layer] of layers.reverse()) {
      for (const [key, value] of Object.entries(layer ?? {})) {
        values[key] = value;
        sources[key] = source;
      }
    }
    const presetStep = presetSteps.get(entry.name);
    return { entry, values, sources, templateDirs: presetStep?.templateDirs ?? [], templatesFrom: presetStep?.templatesFrom ?? [] };
  });

  // Requirements declared where no name says which file production installs: asked for, never guessed.
  if (context.values.prodRequirements === undefined && context.sources.layout !== 'option' && context.sources.layout !== 'stored' && context.sources.layout !== 'preset') {
    const unclear = composition.model.lookedAt.prodRequirements;
    if (unclear) problems.push({ key: 'prodRequirements', message: `Cannot tell where production's dependencies are declared: ${unclear}.`, fix: 'pass --prod-requirements with the file production installs (a requirements file, or pyproject.toml); it is stored for later runs.' });
  }

  const draft: PlanDraft = { ...composition, context, steps, interactive: request.interactive };
  problems.push(...draftProblems(draft, !request.interactive));
  if (problems.length > 0) throw new UsageError(problems);
  return draft;
}

/** The preset a repository was made from, when it is still installed. */
function storedPreset(stored: StoredConfig, registry: Registry): ResolvedPreset | undefined {
  if (typeof stored.preset !== 'string') return undefined;
  try {
    return resolvePreset(registry, stored.preset);
  } catch (error) {
    if (error instanceof UsageError) return undefined; // uninstalled or broken since: its options are not needed to add a generator
    throw error;
  }
}

/** The generators named, each once; unknown names are one usage error with suggestions. */
export function resolveGeneratorsFor(refs: string[], registry: Registry): GeneratorEntry[] {
  const problems: Problem[] = [];
  const entries: GeneratorEntry[] = [];
  for (const ref of refs) {
    const entry = registry.findGenerator(ref);
    if (!entry) problems.push(registry.unknown('generator', ref, ''));
    else if (!entries.some(e => e.name === entry.name)) entries.push(entry);
  }
  if (problems.length > 0) throw new UsageError(problems);
  return entries;
}

function pick(values: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(values).filter(([key]) => keys.includes(key)));
}

/** How a generator option is named in messages, with where its value came from. */
function describeOption(step: DraftStep, key: string, presetName?: string): string {
  const where = { option: '', prompt: '', stored: ' (stored in .yo-rc.json)', preset: ` (set by preset "${presetName}")` }[step.sources[key] ?? 'option'];
  return `option --${toFlag(key)} of generator "${step.entry.name}"${where}`;
}

/**
 * The project-model facts the composition needs (each generator's `x-needs`, for the project's
 * framework) that no layer established: asked for, or with --yes a usage error naming what was
 * looked at and the flag, before anything is written.
 */
export function missingFacts(draft: PlanDraft): ContextKey[] {
  const runtime = frameworkRuntimes[draft.context.values.framework as Framework];
  if (!runtime) return [];
  const needed = new Set(draft.steps.flatMap(step => (step.entry.schema['x-needs'] ?? []).flatMap(need => runtime.needs[need])));
  return [...needed].filter(key => draft.context.values[key] === undefined);
}

function missingFactProblem(draft: PlanDraft, key: ContextKey): Problem {
  const option = contextSchema.properties[key]!;
  const lookedAt = draft.model.lookedAt[key];
  const needers = draft.steps.filter(step => (step.entry.schema['x-needs'] ?? []).length > 0).map(step => step.entry.name);
  return {
    key,
    message: `${option.description} It is needed by ${needers.join(', ')}, and pyrepo could not establish it${lookedAt ? `: it looked at ${lookedAt}` : ''}.`,
    fix: `pass --${toFlag(key)} <value>, ${option['x-rule'] ?? 'see pyrepo info'}; or run in a terminal without --yes to be asked.`,
  };
}

/** Problems of the draft; with `all` false, only those of values that a prompt would not replace. */
function draftProblems(draft: PlanDraft, all: boolean): Problem[] {
  const problems: Problem[] = [];
  const context = finalizeContext(draft.context);
  const promptable = new Set(all ? [] : contextQuestions(draft).map(q => q.key));
  problems.push(...context.problems.filter(p => !promptable.has(p.key ?? '')));
  problems.push(...missingFacts(draft).filter(key => !promptable.has(key)).map(key => missingFactProblem(draft, key)));
  for (const step of draft.steps) {
    const result = validateOptions(step.entry.schema, step.values, key => describeOption(step, key, draft.preset?.name));
    const promptable = new Set(all ? [] : stepQuestions(step).map(q => q.key));
    problems.push(...result.problems.filter(p => !promptable.has(p.key ?? '')));
  }
  return problems;
}

/** Validate the whole draft (after any prompts) into a runnable plan. */
export function finalizePlan(draft: PlanDraft): Plan {
  const context = finalizeContext(draft.context);
  const problems = [...context.problems];
  const steps: PlanStep[] = [];
  for (const step of draft.steps) {
    const result = validateOptions(step.entry.schema, step.values, key => describeOption(step, key, draft.preset?.name));
    problems.push(...result.problems);
    const chosen = Object.fromEntries(Object.entries(result.value).filter(([key]) => step.sources[key] !== undefined && step.sources[key] !== 'preset'));
    steps.push({ entry: step.entry, options: result.value, chosen, templateDirs: step.templateDirs });
  }
  if (problems.length === 0 && context.context) problems.push(...checkComposition(draft, steps, context.context));
  if (problems.length > 0 || !context.context) throw new UsageError(problems);
  return {
    targetDir: draft.targetDir,
    preset: draft.preset ? { name: draft.preset.name, chain: draft.preset.chain } : undefined,
    project: context.context,
    projectSources: { ...draft.context.sources },
    detectedFrom: { ...draft.context.detectedFrom },
    steps,
  };
}

/** A question for one missing value, in the shape Yeoman's prompt (Inquirer) takes. */
export interface PlanQuestion {
  key: string;
  step?: DraftStep;
  option: OptionSchema;
  prompt: PromptSpec;
}

function contextQuestions(draft: PlanDraft): PlanQuestion[] {
  const open = new Set(['derived', 'detected', undefined]);
  // The project model's facts are asked only when the run needs one nobody established.
  const missing = new Set<ContextKey>(missingFacts(draft));
  return contextKeys
    .map(key => ({ key, option: contextSchema.properties[key]! }))
    .filter(({ key, option }) => option['x-prompt'] && (modelFactKeys.has(key) ? missing.has(key) : open.has(draft.context.sources[key])))
    .map(({ key, option }) => ({ key, option, prompt: option['x-prompt']! }));
}

function stepQuestions(step: DraftStep): PlanQuestion[] {
  return Object.entries((step.entry.schema as GeneratorSchema).properties)
    .filter(([key, option]) => option['x-prompt'] && step.sources[key] === undefined)
    .map(([key, option]) => ({ key, step, option, prompt: option['x-prompt']! }));
}

/** An Inquirer question. */
export interface Question {
  type: string;
  name: string;
  message: string;
  default?: unknown;
  choices?: Array<{ name: string; value: unknown }>;
  validate?: (answer: unknown) => true | string;
}

/**
 * Ask for every value the user did not give and the preset did not decide (options with `x-prompt`),
 * project facts first. Each answer is validated as it is given; derived defaults follow earlier answers.
 */
export async function promptForDraft(draft: PlanDraft, ask: (question: Question) => Promise<unknown>): Promise<void> {
  for (const item of contextQuestions(draft)) {
    rederive(draft.context);
    const answer = await ask(toQuestion(item, draft.context.values[item.key as ContextKey] ?? item.option.default, (value: unknown) => {
      const trial: ContextDraft = { ...draft.context, values: { ...draft.context.values, [item.key]: value }, sources: { ...draft.context.sources, [item.key]: 'option' } };
      rederive(trial);
      const problem = finalizeContext(trial).problems.find(p => p.key === item.key);
      return problem ? `${problem.message} ${problem.fix}` : true;
    }));
    draft.context.values[item.key as ContextKey] = answer;
    draft.context.sources[item.key as ContextKey] = 'option';
    rederive(draft.context);
  }
  for (const step of draft.steps) {
    for (const item of stepQuestions(step)) {
      const option = resolveOption(item.option);
      const answer = await ask(toQuestion(item, option.default, (value: unknown) => {
        const { problems } = validateOptions(step.entry.schema, { ...step.values, [item.key]: value }, key => describeOption(step, key));
        const problem = problems.find(p => p.key === item.key);
        return problem ? `${problem.message} ${problem.fix}` : true;
      }));
      step.values[item.key] = answer;
      step.sources[item.key] = 'prompt';
    }
  }
}

function toQuestion(item: PlanQuestion, defaultValue: unknown, validate: (value: unknown) => true | string): Question {
  const option = resolveOption(item.option);
  const spec = typeof item.prompt === 'string' ? { message: item.prompt } : item.prompt;
  const items = option.items ? resolveOption(option.items) : undefined;
  const type =
    spec.type ??
    (option.enum ? 'select' : option.type === 'boolean' ? 'confirm' : option.type === 'integer' || option.type === 'number' ? 'number' : items?.enum ? 'checkbox' : 'input');
  const choices = (option.enum ?? items?.enum)?.map(value => ({ name: String(value), value }));
  const name = item.step ? `${item.step.entry.name}.${item.key}` : item.key;
  return {
    type,
    name,
    message: spec.message,
    default: defaultValue,
    ...(choices ? { choices } : {}),
    ...(type === 'checkbox' || type === 'select' ? {} : { validate }),
  };
}

