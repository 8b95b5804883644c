import { posix } from 'node:path';
import type { RequirementsLayout } from './context.js';
import { appendIgnoreLines } from './ignore.js';
import { fileNameFor, readmeFormat } from './file-names.js';
import type { JsonObject } from './json.js';
import { addReadmeSection, type ReadmeSection } from './readme.js';
import { appendRequirements, providedNames, renderRequirementsFile, requirementsLayouts, type RequirementRole } from './requirements.js';
import { mergeToml } from './toml.js';

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
    private readonly layout: RequirementsLayout,
    /** Names the contributor in headings: "generator uwsgi". */
    private readonly contributor: string,
  ) {}

  /** Create the layout's requirements files that are missing (each with its purpose and its `-r` chain). */
  ensureRequirementsFiles(): void {
    for (const spec of requirementsLayouts[this.layout].files) {
      const text = this.files.read(spec.path);
      this.files.write(spec.path, text ?? renderRequirementsFile(spec));
    }
  }

  /** Add requirements (PEP 508 lines) for a role; a project already required by the file or what it includes is left as the user pinned it. */
  addRequirements(role: RequirementRole, specs: readonly string[]): void {
    const path = requirementsLayouts[this.layout].roles[role];
    this.ensureRequirementsFile(path);
    const text = this.files.read(path) ?? '';
    this.files.write(path, appendRequirements(text, specs, providedNames(this.files, path)));
  }

  /** Create a layout file if it is missing, and the files its `-r` lines include, so every include resolves. */
  private ensureRequirementsFile(path: string): void {
    const spec = requirementsLayouts[this.layout].files.find(file => file.path === path);
    if (!spec || this.files.read(path) !== undefined) return;
    this.files.write(path, renderRequirementsFile(spec));
    for (const include of spec.includes) this.ensureRequirementsFile(posix.join(posix.dirname(path), include));
  }

  /** Add ignore patterns (.gitignore, .dockerignore, ...) that the file lacks. */
  addIgnoreLines(file: string, lines: readonly string[]): void {
    this.files.write(file, appendIgnoreLines(this.files.read(file) ?? '', lines, `Added by pyrepo (${this.contributor})`));
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
