import type { Framework, ProjectContext } from './context.js';

/** Where an application runs: the development server or the production image/service. */
export type Stage = 'dev' | 'prod';

/** What a source distribution of the application holds, as setup.py and MANIFEST.in say it. */
export interface Distribution {
  /** Top-level modules (py_modules). */
  modules: string[];
  /** Whether the code is in packages (find_packages()). */
  packages: boolean;
  /** Scripts installed with it. */
  scripts: string[];
  /** Console commands it installs: `name = module:function`. */
  consoleScripts: string[];
  /** MANIFEST.in lines for the data the application reads at run time. */
  manifest: string[];
}

/**
 * How a framework's application is run, for the generators that run it (containers, uWSGI,
 * services, packaging). Data shared by several generators, so it lives here; each framework's
 * own generator (django, flask, ...) writes the code these facts point at.
 */
export interface FrameworkRuntime {
  /** Folder the importable code lives in, from the repository root ("src" for a src layout). */
  sourceRoot: string;
  /** Environment the application needs in a container at a stage. */
  env(project: ProjectContext, stage: Stage): Record<string, string>;
  /** The WSGI callable, as uWSGI's `module` option takes it; none for servers that are not WSGI. */
  wsgiModule?(project: ProjectContext): string;
  /** The production server when it is not uWSGI: a command run from the repository root. */
  serve?(project: ProjectContext): string[];
  /** The development server, as an exec-form command. */
  devCommand(project: ProjectContext): string[];
  /** Shell commands a container runs before the server starts (e.g. migrations). */
  prestart: string[];
  /** Shell commands the production image runs once the source is in (e.g. collecting static files). */
  build(project: ProjectContext): string[];
  /** What its source distribution holds. */
  distribution(project: ProjectContext): Distribution;
  /** What a production run must be given, with example values (documentation, local trials). */
  productionEnv: Record<string, string>;
  /** Files the production server serves itself: URL prefix and folder from the repository root. */
  staticFiles?: { url: string; folder: string };
  /**
   * A file the application writes at run time (Django's SQLite database): the production image
   * keeps it in a folder of its own, outside the read-only source, at the path this variable gives.
   */
  state?: { variable: string; file: string };
}

/** Servers that are not WSGI read where to listen from HOST and PORT; in a container, every interface. */
const listenEverywhere = (): Record<string, string> => ({ HOST: '0.0.0.0' });

export const frameworkRuntimes: Partial<Record<Framework, FrameworkRuntime>> = {
  django: {
    sourceRoot: '.',
    env: (project, stage) => ({ DJANGO_SETTINGS_MODULE: `${project.package}.settings.${stage}` }),
    wsgiModule: project => `${project.package}.wsgi:application`,
    devCommand: project => ['python', 'manage.py', 'runserver', `0.0.0.0:${project.port}`],
    prestart: ['python manage.py migrate --noinput'],
    // The prod settings require a key and hosts to load; collectstatic uses neither, so the
    // build gives placeholders that live only in this command, not in the image.
    build: () => ['DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput'],
    distribution: project => ({
      modules: [],
      packages: true,
      scripts: ['manage.py'],
      consoleScripts: [],
      manifest: [`recursive-include ${project.package} *.html *.txt *.css *.js *.json`, `graft ${project.package}/static`, `graft ${project.package}/templates`],
    }),
    productionEnv: { DJANGO_SECRET_KEY: 'change-me-to-a-long-random-string', DJANGO_ALLOWED_HOSTS: 'localhost,127.0.0.1', DJANGO_SECURE_SSL_REDIRECT: 'false' },
    staticFiles: { url: '/static', folder: 'staticfiles' },
    state: { variable: 'DJANGO_SQLITE_PATH', file: 'db.sqlite3' },
  },
  flask: {
    sourceRoot: '.',
    env: () => ({}),
    wsgiModule: () => 'app:app',
    devCommand: project => ['flask', '--app', 'app', 'run', '--host', '0.0.0.0', '--port', String(project.port)],
    prestart: [],
    build: () => [],
    distribution: project => ({ modules: ['app'], packages: false, scripts: [], consoleScripts: [], manifest: [`include ${flaskConfigFile(project)}`] }),
    productionEnv: {},
  },
  fastapi: {
    sourceRoot: 'src',
    env: listenEverywhere,
    serve: project => ['python', '-m', project.package],
    devCommand: project => ['uvicorn', `${project.package}.main:app`, '--app-dir', 'src', '--reload', '--host', '0.0.0.0', '--port', String(project.port)],
    prestart: [],
    build: () => [],
    distribution: project => ({ modules: [], packages: true, scripts: [], consoleScripts: [`${project.name} = ${project.package}.main:main`], manifest: [] }),
    productionEnv: {},
  },
  tornado: {
    sourceRoot: '.',
    env: listenEverywhere,
    serve: () => ['python', 'server.py'],
    devCommand: () => ['python', 'server.py'],
    prestart: [],
    build: () => [],
    distribution: () => ({ modules: ['server'], packages: false, scripts: [], consoleScripts: [], manifest: [] }),
    productionEnv: {},
  },
};

/** The folder a project's importable code is in: "src" for a src layout, else the repository root. */
export function sourceRoot(project: ProjectContext): string {
  return frameworkRuntimes[project.framework]?.sourceRoot ?? '.';
}

/** The configuration file a Flask application of pyrepo's reads: <name>.conf next to app.py. */
export function flaskConfigFile(project: ProjectContext): string {
  return `${project.name}.conf`;
}

/** The folder vendored dependencies are installed into and loaded from (the seed's name). */
export const vendorDir = 'vendors';

/**
 * Top-level modules the pinned releases install: the frameworks with what they pull in, the servers
 * and the tools (from their packages' install requirements). A project package named like one
 * shadows it, and every import of it breaks.
 */
export const installedModules: ReadonlySet<string> = new Set([
  'django', 'asgiref', 'sqlparse',
  'flask', 'werkzeug', 'jinja2', 'markupsafe', 'itsdangerous', 'click', 'blinker',
  'fastapi', 'starlette', 'pydantic', 'pydantic_core', 'annotated_types', 'typing_extensions', 'typing_inspection', 'anyio', 'idna', 'sniffio',
  'uvicorn', 'h11', 'httpx', 'httpcore', 'certifi',
  'tornado', 'uwsgi', 'uwsgidecorators',
  'pytest', '_pytest', 'pytest_django', 'pytest_cov', 'coverage', 'pluggy', 'iniconfig', 'packaging', 'pygments',
  'ruff', 'shiv', 'build', 'pyproject_hooks', 'setuptools', 'pkg_resources', 'wheel', 'piptools', 'pip', 'supervisor',
]);
