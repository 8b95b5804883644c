import { posix } from 'node:path';
import type { RequirementsLayout } from './context.js';
import { appendIgnoreLines } from './ignore.js';
import { appendEnvExample, type ProductionVariable } from './frameworks.js';
import { fileNameFor, readmeFormat } from './file-names.js';
import type { JsonObject } from './json.js';
import { addReadmeSection, type ReadmeSection } from './readme.js';
import { appendRequirements, missingRequirements, providedNames, renderRequirementsFile, type LayoutSpec, type RequirementRole } from './requirements.js';
import { showTable } from './requirements-detect.js';
import { asTableEntry, declaredInTable, isDeclaredSpec, requirementsOf, type RequirementsChoice } from './requirements-of.js';
import { appendToTomlArray, mergeToml } from './toml.js';

/** The repository being generated, as the in-memory file system sees it; paths from the repository root. */
export interface RepoFiles {
  read(path: string): string | undefined;
  write(path: string, contents: string): void;
}

/**
 * The additive API for files several generators share. Every call merges into what is there,
 * keeps what the user wrote, and changes nothing when repeated.
 */
export class SharedFiles {
  constructor(
    private readonly files: RepoFiles,
    /** pyrepo's layout, or the facts that say where the repository declares its dependencies. */
    private readonly requirements: RequirementsLayout | RequirementsChoice,
    /** Names the contributor in headings: "generator uwsgi". */
    private readonly contributor: string,
    /** Tells the user what pyrepo left for them to do (a lock to regenerate). */
    private readonly notify: (message: string) => void = () => {},
  ) {}

  /** Where each role's requirements go, for the repository as it is now. */
  requirementsSpec(): LayoutSpec {
    const choice = typeof this.requirements === 'string' ? { layout: this.requirements } : this.requirements;
    return requirementsOf(choice, this.files);
  }

  /**
   * Create the layout's requirements files that are missing (each with its purpose and its `-r`
   * chain). A repository that declares its own dependencies keeps its files: a development file on
   * top of production's is created only when something goes into it or a generator installs it.
   */
  ensureRequirementsFiles(): void {
    const layout = this.requirementsSpec();
    if (isDeclaredSpec(layout)) return;
    for (const spec of layout.files) {
      const text = this.files.read(spec.path);
      this.files.write(spec.path, text ?? renderRequirementsFile(spec));
    }
  }

  /** The requirements file of a role, created first when the spec creates it (a development file on top of production's). */
  requirementsFileOf(role: RequirementRole): string {
    const layout = this.requirementsSpec();
    const path = layout.roles[role];
    if (isDeclaredSpec(layout)) this.ensureRequirementsFile(layout, path);
    return path;
  }

  /**
   * Add requirements (PEP 508 lines) for a role, into the file or TOML table that declares it; a
   * project already required there (or by what it includes) is left as the user pinned it.
   */
  addRequirements(role: RequirementRole, specs: readonly string[]): void {
    const layout = this.requirementsSpec();
    const table = isDeclaredSpec(layout) ? layout.tables[role] : undefined;
    let added: string[];
    let written: string;
    let place: string;
    if (table && isDeclaredSpec(layout)) {
      const provided = declaredInTable(layout, role, path => this.files.read(path));
      added = missingRequirements(specs, provided);
      if (added.length === 0) return;
      const text = this.files.read(table.file) ?? '';
      this.files.write(
        table.file,
        table.form === 'array'
          ? appendToTomlArray(text, table.keys, added, table.file)
          : mergeToml(text, table.keys.reduceRight<JsonObject>((inner, key) => ({ [key]: inner }), Object.assign({}, ...added.map(asTableEntry))), table.file),
      );
      written = table.file;
      place = showTable(table.file, table.keys);
    } else {
      const path = layout.roles[role];
      // The repository's own layout gets no file it would hold nothing in.
      if (isDeclaredSpec(layout) && specs.length === 0) return;
      this.ensureRequirementsFile(layout, path);
      const text = this.files.read(path) ?? '';
      const provided = providedNames(this.files, path);
      added = missingRequirements(specs, provided);
      this.files.write(path, appendRequirements(text, specs, provided));
      written = place = path;
    }
    if (added.length === 0 || !isDeclaredSpec(layout)) return;
    for (const lock of layout.locks.filter(lock => lock.from === written)) {
      this.notify(`${this.contributor} added ${added.join(', ')} to ${place}; ${lock.path} is generated from it and pyrepo does not edit it: regenerate it (${lock.command}).`);
    }
  }

  /** Create a file of the spec if it is missing, and the files its `-r` lines include, so every include resolves. */
  private ensureRequirementsFile(layout: LayoutSpec, path: string): void {
    const spec = layout.files.find(file => file.path === path);
    if (!spec || spec.purpose === '' || this.files.read(path) !== undefined) return;
    this.files.write(path, renderRequirementsFile(spec));
    for (const include of spec.includes) this.ensureRequirementsFile(layout, posix.join(posix.dirname(path), include));
  }

  /** Add ignore patterns (.gitignore, .dockerignore, ...) that the file lacks. */
  addIgnoreLines(file: string, lines: readonly string[]): void {
    this.files.write(file, appendIgnoreLines(this.files.read(file) ?? '', lines, `Added by pyrepo (${this.contributor})`));
  }

  /** Add the variables `.env.example` lacks (by name), under this generator's heading. */
  addEnvExample(variables: readonly ProductionVariable[]): void {
    this.files.write('.env.example', appendEnvExample(this.files.read('.env.example') ?? '', [...variables], `Added by pyrepo (${this.contributor})`));
  }

  /** Merge tables into pyproject.toml; keys the user set keep their values. */
  mergePyproject(table: JsonObject): void {
    const text = this.files.read('pyproject.toml');
    const header = '# Tool configuration, managed by pyrepo: your edits are kept; re-runs add only missing keys.\n';
    this.files.write('pyproject.toml', mergeToml(text ?? header, table, 'pyproject.toml'));
  }

  /** The README the repository has under any usual name (README.md, README.rst, readme.md, ...), else README.md. */
  private readmeFile(): string {
    return fileNameFor('readme', path => this.files.read(path) !== undefined);
  }

  /** Create README.md with its title and an introduction; an existing README, whatever its name, is the user's and stays. */
  createReadme(projectTitle: string, intro: string): void {
    const path = this.readmeFile();
    const text = this.files.read(path);
    this.files.write(path, text ?? `# ${projectTitle}\n\n${intro.trim()}\n`);
  }

  /**
   * Add a README section (between pyrepo markers) to the repository's README unless it is there
   * already. A reStructuredText README gets none (a Markdown section would not render there): the
   * reason is returned, for the run's output; undefined when the section is in the README.
   */
  addReadmeSection(section: ReadmeSection, projectTitle: string): string | undefined {
    const path = this.readmeFile();
    if (readmeFormat(path) === 'restructuredtext') {
      return `${path} is reStructuredText: the Markdown section "${section.title}" was not added to it; write it in reStructuredText yourself if you want it there.`;
    }
    this.files.write(path, addReadmeSection(this.files.read(path), section, projectTitle));
    return undefined;
  }
}
