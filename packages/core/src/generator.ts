import { existsSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import ejs from 'ejs';
import Generator, { type BaseFeatures, type BaseOptions } from 'yeoman-generator';
import type { ProjectContext } from './context.js';
import { PyrepoError, UsageError } from './errors.js';
import { frameworkRuntimes, type FrameworkRuntime, type ProductionVariable } from './frameworks.js';
import { keptByUser, markMerged } from './merge-status.js';
import { runStepWithProgress } from './progress.js';
import type { JsonObject } from './json.js';
import type { ReadmeSection } from './readme.js';
import { isRequirementsFile, type LayoutSpec, type RequirementRole } from './requirements.js';
import { describePlace, isDeclaredSpec } from './requirements-of.js';
import { setMissingDestination } from './repository-files.js';
import { SharedFiles } from './shared-files.js';
import { shellCommand } from './shell-command.js';
import { compareCodeUnits } from './text.js';
import { pin, pinnedVersions } from './versions.js';

/** What the plan hands each generator it composes (see PlanGenerator). */
export interface StepInput {
  /** Short name of the generator: `uwsgi`, `@acme/sentry`. */
  name: string;
  /** The generator's package folder: templates/ is found there. */
  packageDir: string;
  project: ProjectContext;
  /** Options validated against the generator's schema.json, defaults applied. */
  options: JsonObject;
  /** The command that re-runs it, for file headers; none for a generator given by path. */
  rerun?: string;
  /** A dry run writes nothing and runs no install step (it names each one). */
  dryRun: boolean;
  /** Folders whose files shadow templates/ by path (a preset's overrides), searched in order. */
  templateDirs?: string[];
}

/** One row of a generator's file table: pure data, rendered by `renderFiles`. */
export interface FileSpec {
  /** Template under templates/, ending in `.ejs`. `__package__` and `__name__` in the path become the project's package and name. */
  template: string;
  /** Destination from the repository root; default: the template path without `.ejs`. */
  to?: string;
  /** Render only when this holds. */
  when?: (data: TemplateData) => boolean;
  /** Mark the file executable (scripts). */
  executable?: boolean;
}

/**
 * EJS escapes `<%= %>` output for HTML by default; no file pyrepo writes is HTML, so values are
 * written as they are (each is validated for where it lands).
 */
const verbatim = (value: unknown): string => String(value);

/**
 * A template's text, read once per process: templates are files of the generator's package, not
 * of the repository, so they stay out of mem-fs (whose every file each commit step walks).
 */
const templateTexts = new Map<string, string>();
function readTemplate(file: string, generatorName: string): string {
  let text = templateTexts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new PyrepoError(`Generator ${generatorName}: template ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); its package is incomplete: reinstall it. Nothing was written.`, 1);
    }
    templateTexts.set(file, text);
  }
  return text;
}

/**
 * Render a template: values verbatim (no HTML escaping; each generator validates what reaches its
 * files), compiled once per process (by file name). Compiled without EJS's line tracking, which
 * made compiling three times slower; a template that fails is rendered again with it, so that the
 * error still says which line of which template.
 */
function renderTemplate(text: string, data: object, filename: string): string {
  try {
    return ejs.render(text, data, { escape: verbatim, cache: true, compileDebug: false, filename });
  } catch {
    return ejs.render(text, data, { escape: verbatim, compileDebug: true, filename });
  }
}

/** What every template sees. */
export interface TemplateData {
  project: ProjectContext;
  options: JsonObject;
  versions: typeof pinnedVersions;
  pin: typeof pin;
  /** One-line header saying where the file comes from, behind the format's comment prefix. */
  generatedBy: (commentPrefix: string) => string;
  /** The requirements file of a role in the project's layout. */
  requirementsFile: (role: RequirementRole) => string;
}

/**
 * Base class of every pyrepo generator. It receives the project facts and its validated options
 * from the plan, renders its file table, and contributes to shared files through the additive API.
 */
export abstract class PyrepoGenerator<Options extends object = JsonObject> extends Generator {
  /** The project facts (name, package, python, framework, layout, ...). */
  readonly project: ProjectContext;
  /** This generator's options, validated against its schema.json, defaults applied. */
  readonly props: Options;
  /** Short name, as in `pyrepo add <name>`. */
  readonly generatorName: string;
  /** A dry run: install steps and commands (venv, pip, git) must not run. */
  protected readonly dryRun: boolean;
  readonly #rerun?: string;
  readonly #templateDirs: string[];
  readonly #shared: SharedFiles;

  constructor(args: string[], options: BaseOptions & { pyrepo?: StepInput }, features?: BaseFeatures) {
    // The plan hands every option over as data; Yeoman's parsing of a command line for each of its
    // own option declarations (~0.2 ms a generator) has nothing to parse. A plan runs a generator
    // once (its steps are unique by name): that name is its identity for Yeoman, which otherwise
    // draws a random instance id for each generator.
    super(args, options, { skipParseOptions: true, uniqueBy: options.pyrepo && `pyrepo-step:${options.pyrepo.name}`, ...features });
    const step = options.pyrepo;
    if (!step) {
      throw new PyrepoError(`${this.constructor.name} is a pyrepo generator: run it with \`pyrepo add\`, \`yo pyrepo:<name>\` or a preset, which validate its options first.`, 1);
    }
    this.project = step.project;
    this.props = step.options as Options;
    this.generatorName = step.name;
    this.dryRun = step.dryRun;
    this.#rerun = step.rerun;
    this.#templateDirs = step.templateDirs ?? [];
    this.sourceRoot(join(step.packageDir, 'templates'));
    this.#shared = new SharedFiles(
      {
        read: path => {
          const file = this.destinationPath(path);
          return this.fs.exists(file) ? this.fs.read(file) : undefined;
        },
        write: (path, contents) => {
          const file = this.destinationPath(path);
          this.fs.write(file, contents);
          markMerged(this.env.sharedFs.get(file));
        },
      },
      this.project,
      `generator ${step.name}`,
      message => this.log.info(message),
    );
  }

  /** A destination that does not exist yet is made by the commit, not when the generator starts. */
  override destinationRoot(rootPath?: string): string {
    if (typeof rootPath === 'string' && !existsSync(rootPath)) return setMissingDestination(this as never, rootPath);
    return super.destinationRoot(rootPath);
  }

  /**
   * The project's name: a Python repository has no package.json, which Yeoman would look for (a
   * file read and a storage for each generator) before falling back to the folder's name.
   */
  override determineAppname(): string {
    return (this.options as { pyrepo?: StepInput }).pyrepo?.project.name ?? super.determineAppname();
  }

  /** A template's file: the first preset override that has it, else the generator's own. */
  #templateFile(template: string): string {
    for (const dir of this.#templateDirs) {
      const file = join(dir, template);
      if (existsSync(file)) return file;
    }
    return this.templatePath(template);
  }

  /** Data for templates. */
  protected templateData(): TemplateData {
    return {
      project: this.project,
      options: this.props as JsonObject,
      versions: pinnedVersions,
      pin,
      generatedBy: prefix => `${prefix} Generated by pyrepo (generator ${this.generatorName})${this.#rerun ? `; re-run: ${this.#rerun}` : ''}`,
      requirementsFile: role => this.requirementsFile(role),
    };
  }

  /** Render a fragment (fragments/<name>.ejs) to a string: README sections and other pieces merged into shared files. */
  protected renderFragment(name: string, extra: Record<string, unknown> = {}): string {
    const file = join(this.sourceRoot(), '..', 'fragments', name);
    return renderTemplate(readTemplate(file, this.generatorName), { ...this.templateData(), ...extra }, file);
  }

  /** Render a file table (templates/ mirrors the output tree); `extra` adds template data. */
  protected renderFiles(files: readonly FileSpec[], extra: Record<string, unknown> = {}): void {
    const data = { ...this.templateData(), ...extra };
    const root = this.destinationRoot();
    for (const file of files) {
      if (file.when && !file.when(data)) continue;
      const to = (file.to ?? file.template.replace(/\.ejs$/, '')).replaceAll('__package__', this.project.package).replaceAll('__name__', this.project.name);
      const destination = resolve(root, to);
      const inside = relative(root, destination);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        throw new PyrepoError(`Generator ${this.generatorName} tried to write ${to}, outside the repository; nothing was written.`, 1);
      }
      // Rendered here rather than through copyTpl, which compiles each destination path as a template
      // (uncached) and probes each file for binary content: a per-file toll at hundreds of files.
      const template = this.#templateFile(file.template);
      const contents = renderTemplate(readTemplate(template, this.generatorName), data, template);
      // mem-fs-editor applies stat.mode when it commits; the conflicter compares it with the disk's
      // full st_mode, so the regular-file type bits are part of it.
      this.fs.write(destination, contents, file.executable ? { stat: { mode: 0o100755 } as Stats } : undefined);
    }
  }

  /**
   * Whether the repository has a file or folder at `path` (from its root), or this run wrote one
   * there so far: what a generated file may name. Deleted files of the run do not count.
   */
  protected repositoryHas(path: string): boolean {
    const target = this.destinationPath(path);
    if (this.fs.exists(target)) return true;
    const prefix = `${target}${sep}`;
    if (this.env.sharedFs.all().some(file => file.path.startsWith(prefix) && file.contents !== null)) return true;
    return statSync(target, { throwIfNoEntry: false })?.isDirectory() === true;
  }

  /** Add requirements for a role (base, ci, dev, prod) to the file the project's layout puts them in. */
  protected addRequirements(role: RequirementRole, specs: readonly string[]): void {
    this.#shared.addRequirements(role, specs);
  }

  /** How the project's framework runs (server command, settings, WSGI module); a usage error when pyrepo does not know it. */
  protected frameworkRuntime(): FrameworkRuntime {
    const runtime = frameworkRuntimes[this.project.framework];
    if (runtime) return runtime;
    throw new UsageError({
      message: `Generator ${this.generatorName} does not know how to run a ${this.project.framework} application yet.`,
      fix: `set the project's framework (--framework ${Object.keys(frameworkRuntimes).join(' or --framework ')}); it is stored for later runs.`,
    });
  }

  /** Where each role's requirements go: pyrepo's layout, or the files and tables the repository declares them in. */
  protected requirementsSpec(): LayoutSpec {
    return this.#shared.requirementsSpec();
  }

  /**
   * The requirements file pip installs for a role (`pip install -r`); a usage error when the
   * repository declares the role in a TOML table (pyproject.toml, Pipfile), which pip cannot read with -r.
   */
  protected requirementsFile(role: RequirementRole): string {
    const spec = this.requirementsSpec();
    if (isDeclaredSpec(spec) && spec.tables[role]) {
      const flag = role === 'prod' || role === 'base' ? '--prod-requirements' : '--dev-requirements';
      throw new UsageError({
        message: `Generator ${this.generatorName} installs ${role === 'base' ? 'prod' : role} requirements with \`pip install -r <file>\`; this repository declares them in ${describePlace(spec, role)}, which pip cannot install that way.`,
        fix: `pass ${flag} with a requirements file that declares them (it is used from then on), or leave ${this.generatorName} out.`,
      });
    }
    return this.#shared.requirementsFileOf(role);
  }

  /** The requirements file a release installs or vendors (the frozen lock where there is one); a usage error when pip cannot install it with -r. */
  protected shippedFile(): string {
    const spec = this.requirementsSpec();
    if (!isRequirementsFile(spec.ships)) {
      throw new UsageError({
        message: `Generator ${this.generatorName} installs what production ships with \`pip install -r <file>\`; this repository ships ${spec.ships}${spec.ships === spec.roles.prod ? '' : ` (from ${describePlace(spec, 'prod')})`}, which pip cannot install that way.`,
        fix: `export the lock to a requirements file (e.g. uv export --no-dev -o requirements.txt, poetry export -o requirements.txt) and pass --prod-requirements with the file that declares production's dependencies, or leave ${this.generatorName} out.`,
      });
    }
    return spec.ships;
  }

  /** Create every requirements file of the project's layout that is missing. */
  protected ensureRequirementsFiles(): void {
    this.#shared.ensureRequirementsFiles();
  }

  /**
   * List variables production reads in `.env.example` (each generator those its own files read),
   * kept in git although `.env.*` is ignored.
   */
  protected addEnvExample(variables: readonly ProductionVariable[]): void {
    if (variables.length === 0) return;
    this.#shared.addEnvExample(variables);
    this.addIgnoreLines('.gitignore', ['!/.env.example']);
  }

  /** Add ignore patterns to .gitignore, .dockerignore or another ignore file. */
  protected addIgnoreLines(file: string, lines: readonly string[]): void {
    this.#shared.addIgnoreLines(file, lines);
  }

  /** Merge tables into pyproject.toml, keeping what the user set. */
  protected mergePyproject(table: JsonObject): void {
    this.#shared.mergePyproject(table);
  }

  /** Create README.md with a title and an introduction, unless the repository has one. */
  protected createReadme(intro: string): void {
    this.#shared.createReadme(this.project.name, intro);
  }

  /**
   * The files of the repository that hold what this run generated (after the commit: install
   * steps): written now, or found identical on disk. A file the user kept (a declined conflict)
   * is not one; neither is anything pyrepo did not generate (in a dry run: the files it would
   * write or finds identical). Paths relative to the repository
   * root, in a stable order.
   */
  protected filesOfThisRun(): string[] {
    const root = this.destinationRoot();
    const files: string[] = [];
    for (const file of this.env.sharedFs.all()) {
      const path = relative(root, file.path);
      if (path === '' || path.startsWith('..') || isAbsolute(path) || !file.contents) continue;
      // The commit clears each pending file's state into stateCleared (mem-fs-editor/state).
      if ((file as { stateCleared?: string }).stateCleared !== 'modified') continue;
      let disk: Buffer | undefined;
      try {
        disk = readFileSync(file.path);
      } catch {
        disk = undefined;
      }
      // A dry run wrote nothing: a file counts unless the run would leave the user's copy.
      const wouldWrite = this.dryRun && !(file as { [keptByUser]?: boolean })[keptByUser];
      if (disk?.equals(file.contents) || wouldWrite) files.push(path);
    }
    return files.sort(compareCodeUnits);
  }

  /**
   * Run a command of an install step (creating a venv, pip install, git init) in the repository,
   * with a progress display (core/progress.ts); a relative command path is relative to it. A
   * failure does not fail the run, whose files are written: it is reported with the command's
   * output and the command to run later. A dry run runs nothing: it names the step and its command.
   */
  protected async runStep(what: string, command: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
    if (this.dryRun) {
      this.log.info(`${this.generatorName}: would ${what}: ${shellCommand([command, ...args])}`);
      return true;
    }
    return runStepWithProgress({ name: this.generatorName, what, command, args, cwd: this.destinationRoot(), env });
  }

  /** Add a README section to the repository's README unless it is there already; a reStructuredText README gets none, and the output says so. */
  protected addReadmeSection(section: ReadmeSection): void {
    const skipped = this.#shared.addReadmeSection(section, this.project.name);
    if (skipped) this.log.info(`${this.generatorName}: ${skipped}`);
  }
}
