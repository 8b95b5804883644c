import { basename, resolve } from 'node:path';
import type { Problem } from './errors.js';
import { showValue, toFlag, type JsonObject } from './json.js';
import { installedModules, vendorDir } from './frameworks.js';
import { stdlibModules } from './stdlib-modules.js';
import { contextSchema, validateOptions } from './schema.js';

export type Framework = 'django' | 'flask' | 'fastapi' | 'tornado' | 'none';
export type RequirementsLayout = 'layered' | 'app-dev-frozen' | 'single';

/** Facts about the Python project that every generator shares (see schemas/context.schema.json). */
export interface ProjectContext {
  /** Project name, normalized per PEP 503 (lowercase, runs of `-_.` become `-`). */
  name: string;
  /** Python package (import) name: a valid identifier, not a keyword. */
  package: string;
  /** Target Python version, major.minor. Default 3.12. */
  python: string;
  /** Web framework. Default none. */
  framework: Framework;
  /** Requirements layout. Default layered. */
  layout: RequirementsLayout;
  /** Virtual environment folder. Default .venv. */
  venvDir: string;
  /** Unprivileged user the app runs as. Default app. */
  appUser: string;
  /** Port the app listens on. Default 8000. */
  port: number;
  /**
   * The facts below are the project model's (see project-model.ts): read from the repository,
   * given with their flag, or established by a generator of the same run (the django generator
   * writes <package>/settings/prod.py). Unset means nobody established them; a generator that
   * needs one never guesses (see missingFacts in plan.ts).
   */
  /** Folder the importable code is in, from the repository root ("." or "src"). */
  sourceRoot?: string;
  /** Django settings module production runs with. */
  settingsModule?: string;
  /** Django settings module development runs with (manage.py's). */
  devSettingsModule?: string;
  /** WSGI application object, module:attribute. */
  wsgiApp?: string;
  /** ASGI application object, module:attribute or module:factory(). */
  asgiApp?: string;
  /** Django's STATIC_URL. */
  staticUrl?: string;
  /** Django's STATIC_ROOT, from the repository root. */
  staticRoot?: string;
  /** Where production's dependencies are declared (a requirements file or pyproject.toml). */
  prodRequirements?: string;
  /** Where development's dependencies are declared. */
  devRequirements?: string;
}

export type ContextKey = keyof ProjectContext;
export const contextKeys = Object.keys(contextSchema.properties) as ContextKey[];
/** The facts of the project model that are asked only when a run needs them (see plan.ts missingFacts). */
export const modelFactKeys: ReadonlySet<ContextKey> = new Set(['sourceRoot', 'settingsModule', 'devSettingsModule', 'wsgiApp', 'asgiApp', 'staticUrl', 'staticRoot', 'prodRequirements', 'devRequirements']);

/** Where a project fact came from, in precedence order (first wins). */
export type ContextSource = 'option' | 'stored' | 'preset' | 'detected' | 'created' | 'derived' | 'default';

export interface ContextLayers {
  /** From the command line or an answers file. */
  option: Partial<Record<ContextKey, unknown>>;
  /** From .yo-rc.json. */
  stored: Partial<Record<ContextKey, unknown>>;
  /** From the preset. */
  preset: Partial<Record<ContextKey, unknown>>;
  /** Found in the existing repository. */
  detected: Partial<Record<ContextKey, unknown>>;
  /** Where each detected fact was read, for messages. */
  detectedFrom?: Partial<Record<ContextKey, string>>;
  targetDir: string;
}

export interface ContextDraft {
  values: Partial<Record<ContextKey, unknown>>;
  sources: Partial<Record<ContextKey, ContextSource>>;
  targetDir: string;
  /** Where each detected fact was read, for messages. */
  detectedFrom?: Partial<Record<ContextKey, string>>;
  /** The facts a framework generator of this run establishes, from the name and package (see FrameworkRuntime.creates). */
  create?: (values: Partial<Record<ContextKey, unknown>>) => Partial<Record<ContextKey, unknown>>;
}

/** PEP 503 normalization: `My_App.io` gives `my-app-io`. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** The Python package derived from a project name: `my-app` gives `my_app`. */
export function packageFromName(name: string): string {
  return normalizeName(name).replace(/-/g, '_');
}

const layerOrder = ['option', 'stored', 'preset', 'detected'] as const;

/** Pick each fact from the first layer that has it; derive name and package when no layer does. */
export function draftContext(layers: ContextLayers): ContextDraft {
  const values: ContextDraft['values'] = {};
  const sources: ContextDraft['sources'] = {};
  for (const key of contextKeys) {
    for (const layer of layerOrder) {
      const value = layers[layer][key];
      if (value !== undefined) {
        values[key] = value;
        sources[key] = layer;
        break;
      }
    }
  }
  const draft: ContextDraft = { values, sources, targetDir: resolve(layers.targetDir), detectedFrom: layers.detectedFrom };
  rederive(draft);
  return draft;
}

/** Recompute derived facts (after a prompt answered the name, the package follows it). */
export function rederive(draft: ContextDraft): void {
  if (draft.sources.name === undefined || draft.sources.name === 'derived') {
    draft.values.name = basename(draft.targetDir);
    draft.sources.name = 'derived';
  }
  if (draft.sources.package === undefined || draft.sources.package === 'derived') {
    draft.values.package = typeof draft.values.name === 'string' ? packageFromName(draft.values.name) : undefined;
    draft.sources.package = 'derived';
  }
  for (const [key, value] of Object.entries(draft.create?.(draft.values) ?? {}) as Array<[ContextKey, unknown]>) {
    if (draft.sources[key] !== undefined && draft.sources[key] !== 'created') continue;
    draft.values[key] = value;
    draft.sources[key] = 'created';
  }
}

/** How a fact is named in messages, with where its value came from. */
export function describeFact(key: ContextKey, draft: ContextDraft): string {
  const flag = `--${toFlag(key)}`;
  switch (draft.sources[key]) {
    case 'derived':
      return key === 'name'
        ? `project name ${flag} (default: the folder name ${showValue(basename(draft.targetDir))})`
        : `${flag} (derived from the project name ${showValue(draft.values.name)})`;
    case 'stored':
      return `${flag} (stored in .yo-rc.json)`;
    case 'preset':
      return `${flag} (set by the preset)`;
    case 'detected':
      return `${flag} (detected in the repository${draft.detectedFrom?.[key] ? `: ${draft.detectedFrom[key]}` : ''})`;
    case 'created':
      return `${flag} (what the ${String(draft.values.framework)} generator writes in this run)`;
    default:
      return flag;
  }
}

/** Validate the drafted facts; on success the name is PEP 503-normalized and defaults are filled. */
export function finalizeContext(draft: ContextDraft): { context?: ProjectContext; problems: Problem[] } {
  const { value, problems } = validateOptions(contextSchema, draft.values as JsonObject, key => describeFact(key as ContextKey, draft));
  // A package derived from an invalid name is wrong for the same reason: report the name only.
  const nameIsWrong = problems.some(p => p.key === 'name');
  const relevant = problems.filter(p => !(nameIsWrong && p.key === 'package' && draft.sources.package === 'derived'));
  if (relevant.length > 0) return { problems: relevant.map(p => withContextFix(p, draft)) };
  const context = value as unknown as ProjectContext;
  context.name = normalizeName(context.name);
  const shadowed = stdlibModules.has(context.package) ? "a module of Python's standard library" : installedModules.has(context.package) ? 'a module the project installs (its framework, server or tools)' : undefined;
  if (shadowed) {
    return {
      problems: [
        withContextFix(
          {
            key: 'package',
            message: `Invalid ${describeFact('package', draft)}: ${showValue(context.package)} is the name of ${shadowed}; the project's package would shadow it, and every import of it would break.`,
            fix: `pass --package with another name (e.g. ${context.package}_app).`,
          },
          draft,
        ),
      ],
    };
  }
  const overlap = projectFolders(context).find(folder => folder === context.venvDir);
  if (overlap !== undefined) {
    return {
      problems: [
        {
          key: 'venvDir',
          message: `Invalid ${describeFact('venvDir', draft)}: ${showValue(overlap)} is a folder of the project's own files (code, requirements, scripts or what generators write); a virtual environment there would mix with them, and .gitignore would hide them.`,
          fix: `pass --venv-dir with a folder of its own (e.g. .venv); not one of ${projectFolders(context).join(', ')}.`,
        },
      ],
    };
  }
  return { context, problems: [] };
}

/** Top-level folders that hold the project's own files or generators' output: no virtual environment goes there. */
function projectFolders(context: ProjectContext): string[] {
  return [context.package, 'src', 'tests', 'requirements', 'scripts', 'deploy', 'docker', 'docs', vendorDir, `${vendorDir}.new`, 'wheelhouse', 'staticfiles', 'dist', 'build'];
}

function withContextFix(problem: Problem, draft: ContextDraft): Problem {
  if (draft.sources.package === 'derived' && problem.key === 'package') {
    return { ...problem, fix: `${problem.fix.replace(/\.$/, '')}, or choose a project name that starts with a letter and is not a Python keyword.` };
  }
  if (draft.sources.name === 'derived' && problem.key === 'name') {
    return { ...problem, fix: `${problem.fix.replace(/\.$/, '')}, or generate into a folder whose name is one.` };
  }
  return problem;
}
