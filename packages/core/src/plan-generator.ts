import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearFileState, isFileNew, isFilePending, isFileStateModified } from 'mem-fs-editor/state';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { captureFiles, commitAtomically, commitState, nonInteractivePrompts, skippedConflictsMessage } from './commit.js';
import { contextKeys, modelFactKeys } from './context.js';
import { PyrepoError, UsageError } from './errors.js';
import { markUnchangedSinceWritten } from './merge-status.js';
import { baseSnapshotFile, contentHash, fileRecordsObject, formatBaseSnapshot, readBaseSnapshot, readFileRecords, recordFormat, recordedGenerations, requiredFiles, schemaVersion, sortedObject, sourceLabel, withGeneration, type Generation } from './records.js';
import type { StepInput } from './generator.js';
import { isPlainObject, type JsonObject } from './json.js';
import { toFlag } from './json.js';
import { composePlan, draftPlan, finalizePlan, promptForDraft, resolveGeneratorsFor, type Plan, type PlanDraft, type PlanStep } from './plan.js';
import { resolvePreset } from './presets.js';
import { contextSchema, resolveOption, type GeneratorSchema } from './schema.js';
import { describeFlags } from './schema-docs.js';
import { readRegularFile } from './regular-file.js';
import { RepositoryReader, setMissingDestination } from './repository-files.js';
import { acquireRunFolder, releaseRunFolder } from './run-folder.js';
import { Registry, type RegistryOptions } from './registry.js';
import { configKey, readStoredConfig } from './stored-config.js';
import { setProgressOutput } from './progress.js';
import { applyOutputRules } from './terminal.js';
import { Trust, confirmTrust, requireTrusted } from './trust.js';

/** What a plan generator runs when Yeoman starts it: a preset, or generators into an existing repo. */
export interface PlanTarget {
  preset?: string;
  generators?: string[];
}

export type PlanGeneratorOptions = BaseOptions & {
  /** A draft the pyrepo CLI already resolved and validated. */
  pyrepoDraft?: PlanDraft;
  /** Accept defaults, never prompt. */
  yes?: boolean;
  /** The preset to run (`yo pyrepo --preset <name>`). */
  preset?: string;
  /** Write nothing, run no install step. */
  dryRun?: boolean;
  /** Load presets and generators that did not ship with pyrepo, this run only (`yo pyrepo:<name> --trust`). */
  trust?: boolean;
  /**
   * Generate into memory only (`pyrepo update` and `check`): every file of the run is put here, by
   * path relative to the repository, and nothing is written (the run is a dry run for the generators).
   */
  pyrepoCapture?: Map<string, Buffer>;
  /** Show the install steps' command output as it comes (`yo pyrepo:<name> --verbose`). */
  verbose?: boolean;
};

/** Options Yeoman, yo or the environment pass that are not pyrepo options. */
const hostOptions = new Set([
  'env', 'resolved', 'namespace', '_meta', 'help', 'h', 'skipCache', 'skipInstall', 'forceInstall', 'askAnswered', 'sharedData',
  'forwardErrorToEnvironment', 'destinationRoot', 'skipLocalCache', 'localConfigOnly', 'skipCheckEnv', 'ignoreVersionCheck',
  'description', 'force', 'dryRun', 'yes', 'debug', 'preset', 'insight', 'color', 'localOnly', 'generators', 'version',
  'environmentVersion', 'pyrepoDraft', 'pyrepoCapture', 'verbose', 'logCwd', 'skipYoResolve', 'bail', 'ignoreWhitespace', 'y', 'trust',
]);

/** The pyrepo values among the options yo passes (it adds a kebab-case copy of each flag: skip those). */
function optionValues(options: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !hostOptions.has(key) && !key.includes('-') && !key.startsWith('_')));
}

/**
 * Yeoman reads .yo-rc.json while it constructs a generator, and fails on one that is not an object
 * ("not a valid Storage", exit 1): check it first, for the error that names the file and the fix.
 * (A CLI draft was checked when it was made.)
 */
function withStoredConfigChecked(options: PlanGeneratorOptions): PlanGeneratorOptions {
  if (!options.pyrepoDraft) readStoredConfig(options.destinationRoot ?? (options.env as { cwd?: string } | undefined)?.cwd ?? process.cwd());
  return options;
}

/**
 * The composition root: resolves a plan (or takes the CLI's), asks for what is missing, validates
 * the whole composition, then composes each generator with its options. Nothing is written before
 * every option of every generator is valid.
 */
export class PlanGenerator extends Generator<JsonObject, PlanGeneratorOptions> {
  /** Set by `createPlanGenerator` for `yo pyrepo:<name>`. */
  static target: PlanTarget = {};
  static registryOptions?: Omit<RegistryOptions, 'cwd'>;
  #draft?: PlanDraft;
  #plan?: Plan;

  constructor(args: string[], options: PlanGeneratorOptions) {
    // inheritTasks: subclasses made by createPlanGenerator run these lifecycle methods.
    // customInstallTask: Python repositories have no package.json; Yeoman's npm install step does not apply.
    super(args, withStoredConfigChecked(options), { inheritTasks: true, customInstallTask: true });
    this.#draft = options.pyrepoDraft;
    // Where Yeoman's log lines go: the adapter's stderr (the CLI's output, yo's terminal).
    const logStream = (this.env.adapter as { actualAdapter?: { stderr?: NodeJS.WritableStream } }).actualAdapter?.stderr ?? process.stderr;
    applyOutputRules(this.env.adapter.log as never, logStream);
    // Every repository file the run reads or writes is loaded through the reader: regular files inside
    // the repository only, bounded, and remembered so the commit replaces none a user changed meanwhile.
    const reader = new RepositoryReader(this.destinationRoot());
    (this.env.sharedFs as unknown as { loadFile: typeof reader.load }).loadFile = reader.load;
    // pyrepo commits the files itself: inside the repository only, all or none, each atomically.
    const capture = options.pyrepoCapture;
    this.setFeatures({
      customCommitTask: async () => {
        if (capture) return captureFiles(this.env.sharedFs as never, this.destinationRoot(), capture);
        // Under yo, a run that cannot ask (--yes, or no terminal) answers the conflicter as the CLI's
        // runDraft does: a file the user changed is left as it is, listed, and the run exits 3.
        const answersItself = !options.pyrepoDraft && !this.#draft!.interactive;
        // The conflicter asks through the queued adapter's terminal adapter (QueuedAdapter.queue).
        const queued = this.env.adapter as { prompt: unknown; actualAdapter?: { prompt: unknown } };
        const adapter = queued.actualAdapter ?? queued;
        const prompt = adapter.prompt;
        const skipped: string[] = [];
        if (answersItself) adapter.prompt = nonInteractivePrompts(skipped);
        try {
          if (this.options.dryRun) this.log.writeln('Dry run: nothing is written. What would happen:');
          await commitAtomically(this.env as never, reader, Boolean(this.options.dryRun));
        } finally {
          if (answersItself) adapter.prompt = prompt;
          releaseRunFolder(); // the install steps that follow do not hold other runs back
        }
        const left = options.pyrepoDraft ? [] : [...skipped, ...commitState.changedDuringRun];
        if (left.length > 0) {
          logStream.write(skippedConflictsMessage(left, Boolean(this.options.dryRun)));
          process.exitCode = 3;
        }
      },
    });
    if (!this.#draft) {
      this.#declareOptions();
      // Under yo, install steps report on yo's terminal; the CLI sets this in runDraft.
      setProgressOutput({ stream: logStream, verbose: Boolean(options.verbose) });
    }
  }

  /** Declare the flags `yo pyrepo:<name> --help` shows: the project facts and the generators' options. */
  #declareOptions(): void {
    const statics = this.constructor as typeof PlanGenerator;
    this.option('yes', { type: Boolean, description: 'Accept defaults and never prompt' });
    this.option('preset', { type: String, description: 'The preset to run (yo pyrepo)' });
    this.option('trust', { type: Boolean, description: 'Load presets and generators that did not ship with pyrepo (this run only)' });
    this.option('verbose', { type: Boolean, description: "Show the install steps' command output as it comes" });
    const schemas: GeneratorSchema[] = [contextSchema];
    try {
      if (statics.registryOptions && (statics.target.preset || statics.target.generators)) {
        const registry = new Registry({ ...statics.registryOptions, cwd: this.destinationRoot() });
        const entries = statics.target.preset ? resolvePreset(registry, statics.target.preset).steps.map(step => step.entry) : resolveGeneratorsFor(statics.target.generators ?? [], registry);
        schemas.push(...entries.map(entry => entry.schema));
      }
    } catch {
      // An unresolvable preset is reported, with its fix, when the generator runs.
    }
    for (const schema of schemas) {
      const descriptions = describeFlags(schema);
      for (const [name, option] of Object.entries(schema.properties)) {
        const resolved = resolveOption(option);
        // Values reach the schema validator as given: it coerces and explains (Yeoman's String() would flatten lists).
        const type = resolved.type === 'boolean' ? Boolean : Object.defineProperty((value: unknown) => value, 'name', { value: resolved.type === 'array' ? 'List' : 'String' });
        this.option(toFlag(name), { type: type as never, description: descriptions[`--${toFlag(name)}`] });
      }
    }
  }

  override destinationRoot(rootPath?: string): string {
    if (typeof rootPath === 'string' && !existsSync(rootPath)) return setMissingDestination(this as never, rootPath);
    return super.destinationRoot(rootPath);
  }

  async initializing(): Promise<void> {
    // One run at a time in a repository, from before the first read of its files (a folder that does
    // not exist yet is locked when the commit makes it).
    if (!this.options.dryRun && existsSync(this.destinationRoot())) await acquireRunFolder(this.destinationRoot());
    if (this.#draft) return;
    const statics = this.constructor as typeof PlanGenerator;
    if (!statics.registryOptions) throw new PyrepoError('This plan generator has no catalog: create it with createPlanGenerator().', 1);
    const trust = new Trust({ everything: Boolean(this.options.trust) });
    const registry = new Registry({ ...statics.registryOptions, cwd: this.destinationRoot(), trust });
    const interactive = !this.options.yes && Boolean(process.stdin.isTTY);
    const preset = statics.target.preset ?? this.options.preset ?? (statics.target.generators ? undefined : await this.#choosePreset(registry, interactive));
    const request = { targetDir: this.destinationRoot(), preset, generators: statics.target.generators, values: optionValues(this.options as JsonObject), interactive };
    const composition = await composePlan(request, registry);
    const ask = async (message: string) => (await this.prompt<{ trust: boolean }>([{ type: 'confirm', name: 'trust', message, default: false }])).trust;
    await confirmTrust(composition, interactive ? ask : undefined);
    this.#draft = draftPlan(request, registry, composition);
  }

  async #choosePreset(registry: Registry, interactive: boolean): Promise<string> {
    const presets = registry.listInstalled().filter(row => row.kind === 'preset' && !row.error);
    if (!interactive) {
      throw new UsageError({ message: 'No preset given.', fix: `pass --preset <name>; installed: ${presets.map(p => p.name).join(', ')}.` });
    }
    const answers = await this.prompt<{ preset: string }>([
      { type: 'select', name: 'preset', message: 'Which preset?', choices: presets.map(p => ({ name: p.name, value: p.name, description: p.description })) },
    ]);
    return answers.preset;
  }

  async prompting(): Promise<void> {
    const draft = this.#draft!;
    if (draft.interactive) {
      await promptForDraft(draft, async question => (await this.prompt([question as never]))[question.name]);
    }
    this.#plan = finalizePlan(draft);
    requireTrusted(draft);
    // Imported together, so that the file reads and resolutions of generators from packages overlap.
    const modules = await Promise.all(this.#plan.steps.map(step => step.entry.load()));
    // The environment listens to itself twice for each generator composed ('run' and 'end'); past its
    // limit of 100 listeners Node warns of a leak, which a preset of many generators is not.
    const environment = this.env as unknown as EventEmitter;
    environment.setMaxListeners(environment.getMaxListeners() + this.#plan.steps.length);
    for (const [index, step] of this.#plan.steps.entries()) await this.#compose(step, this.#plan, modules[index] as { default?: unknown });
  }

  async #compose(step: PlanStep, plan: Plan, module: { default?: unknown }): Promise<void> {
    const Leaf = module.default;
    if (typeof Leaf !== 'function') {
      throw new PyrepoError(`Generator ${step.entry.name}: ${step.entry.module} has no default export (the generator class).`, 1);
    }
    // Yeoman reads these statics when it instantiates; the namespace only labels logs here. _meta is
    // what yeoman-environment's own registry hands a generator: with the package.json the registry
    // has read, Yeoman does not look it up from the module's folder for every generator.
    const namespace = `pyrepo:${step.entry.name.replace(/^@/, '').replace(/\//g, '-')}`;
    const packageJson = step.entry.packageJson;
    Object.assign(Leaf, { namespace, resolved: step.entry.module, _meta: { namespace, resolved: step.entry.module, packagePath: step.entry.dir, getPackageJson: () => packageJson } });
    const pyrepo: StepInput = {
      name: step.entry.name,
      packageDir: step.entry.dir,
      project: plan.project,
      options: step.options,
      rerun: step.entry.source.type === 'path' ? undefined : `pyrepo add ${step.entry.name}`,
      dryRun: Boolean(this.options.dryRun),
      templateDirs: step.templateDirs,
    };
    await this.env.composeWith(Leaf as never, {
      generatorOptions: { destinationRoot: this.destinationRoot(), skipInstall: this.options.skipInstall, pyrepo } as never,
    });
  }

  /**
   * Once every generator has written: files pyrepo wrote before and the user has not touched are
   * updated without a question; a file pyrepo wrote before and the user deleted stays deleted (as
   * `pyrepo update` keeps it); each file of the run is recorded (records.ts): the hash of what the
   * generators produced on their own (known for a file the run creates: nothing of the user's is in
   * it) and of what is written, with the generated text in the base snapshot.
   */
  transform(): void {
    if (this.options.pyrepoCapture) return; // an in-memory generation records nothing
    const root = this.destinationRoot();
    const storage = this.createStorage('.yo-rc.json', { name: configKey });
    const records = readFileRecords(storage.get('files'));
    const snapshot = readBaseSnapshot(root);
    const required = requiredFiles(this.#plan!.steps.map(step => step.entry));
    for (const file of this.env.sharedFs.all()) {
      const path = relative(root, file.path);
      if (!isFilePending(file) || !isFileStateModified(file) || path.startsWith('..') || isAbsolute(path) || path === '.yo-rc.json' || path === baseSnapshotFile) continue;
      const before = records.get(path);
      if (before && isFileNew(file) && !required.has(path)) {
        // Recorded, so pyrepo wrote it once; missing, so the user deleted it since (and no generator requires it).
        clearFileState(file);
        this.log.info(`kept deleted: ${path} (pyrepo wrote it before and it was deleted since; remove its line from .yo-rc.json's "files" to have it written again)`);
        continue;
      }
      markUnchangedSinceWritten(file, before?.written, Boolean(this.options.dryRun)); // --dry-run shows the diff
      const contents = file.contents ?? Buffer.alloc(0);
      const written = contentHash(contents);
      // A file the run leaves as it is keeps its record (and its base).
      if (before && readRegularFile(file.path, path)?.contents.equals(contents)) continue;
      if (isFileNew(file)) snapshot.set(path, contents.toString('utf8'));
      else snapshot.delete(path); // merged with what is on disk: what the generators made on their own is not known here
      records.set(path, { generated: isFileNew(file) ? written : undefined, written });
    }
    storage.set('files', fileRecordsObject(records));
    // Written once there is a base to keep (a run that generated nothing of its own adds no file).
    if (snapshot.size > 0 || existsSync(join(root, baseSnapshotFile))) this.fs.write(join(root, baseSnapshotFile), formatBaseSnapshot(snapshot));
  }

  /** Remember the project and the user's choices in .yo-rc.json, so later runs know them. */
  writing(): void {
    const plan = this.#plan!;
    const storage = this.createStorage('.yo-rc.json', { name: configKey });
    const stored = storage.get('generators');
    const generators: JsonObject = isPlainObject(stored) ? { ...stored } : {};
    for (const step of plan.steps) generators[step.entry.name] = { ...(isPlainObject(generators[step.entry.name]) ? (generators[step.entry.name] as JsonObject) : {}), ...step.chosen };
    // The project model's facts are read from the repository on each run (it may change); only
    // the ones a person chose are stored, so that they keep winning.
    const chosenFacts = contextKeys.filter(key => !modelFactKeys.has(key) || plan.projectSources[key] === 'option' || plan.projectSources[key] === 'stored');
    storage.set('project', Object.fromEntries(chosenFacts.map(key => [key, plan.project[key]])));
    if (plan.preset) storage.set('preset', plan.preset.name);
    storage.set('generators', generators);
    if (this.options.pyrepoCapture) return;
    // What ran, exactly, and the answers' schema versions and facts (records.ts): merged over the
    // earlier records, so that `pyrepo add` keeps what the preset recorded.
    const versions = new Map(Object.entries(isPlainObject(storage.get('versions')) ? (storage.get('versions') as Record<string, string>) : {}));
    const schemas = new Map(Object.entries(isPlainObject(storage.get('schemas')) ? (storage.get('schemas') as Record<string, number>) : {}));
    for (const entry of this.#draft!.preset?.entries ?? []) versions.set(`preset ${entry.name}`, sourceLabel(entry.source));
    for (const step of plan.steps) {
      versions.set(`generator ${step.entry.name}`, sourceLabel(step.entry.source));
      schemas.set(step.entry.name, schemaVersion(step.entry.schema));
    }
    // This run among the generations the repository records (those of format 2 read as records.ts says).
    // (presetSteps: this run's preset's, or for an add, the recorded preset's when it is installed.)
    const { stored: before, presetSteps } = this.#draft!;
    const presetOfBefore = (name: string) => ((this.#draft!.preset?.name ?? before.preset) === name && presetSteps.size > 0 ? [...presetSteps.keys()] : undefined);
    const run: Generation = plan.preset ? { preset: plan.preset.name } : { generators: plan.steps.map(step => step.entry.name) };
    storage.set('generations', withGeneration(recordedGenerations(before, presetOfBefore), run, plan.preset ? [] : presetSteps.keys()));
    storage.set('record', recordFormat);
    storage.set('versions', sortedObject(versions));
    storage.set('schemas', sortedObject(schemas));
    // Over the recorded ones: a generator added alone may not derive every fact its preset's run did.
    const facts = { ...(isPlainObject(storage.get('facts')) ? (storage.get('facts') as JsonObject) : {}), ...plan.project };
    storage.set('facts', sortedObject(Object.entries(facts).filter(([, value]) => value !== undefined)));
  }
}
Object.assign(PlanGenerator, { namespace: 'pyrepo:plan', resolved: fileURLToPath(import.meta.url) });

/** A plan generator class for one Yeoman namespace (`yo pyrepo:wpmedia-django`, `yo pyrepo:uwsgi`, `yo pyrepo`). */
export function createPlanGenerator(target: PlanTarget, registryOptions: Omit<RegistryOptions, 'cwd'>): typeof PlanGenerator {
  return class extends PlanGenerator {
    static override target = target;
    static override registryOptions = registryOptions;
  };
}
