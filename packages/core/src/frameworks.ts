import type { ContextKey, Framework, ProjectContext } from './context.js';
import { stateLayout } from './servers.js';

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

/** A variable a production run of the application reads: a line of `.env.example`. */
export interface ProductionVariable {
  name: string;
  /** Without it, production refuses to start. */
  required: boolean;
  /** An example value (required) or the default (optional). */
  example: string;
  /** What it is, in a few words. */
  description: string;
}

/** What a generator that runs the application needs of the project model (schema.json's `x-needs`). */
export type ApplicationNeed = 'application' | 'dev-application';

/**
 * How a framework's application is run, for the generators that run it (containers, uWSGI,
 * services, packaging). Data shared by several generators, so it lives here. Every place the
 * application is named comes from the project model's facts (settings modules, the application
 * object, the source root), read from the repository or established by the framework's own
 * generator (`creates`): nothing here assumes pyrepo's own layout.
 */
export interface FrameworkRuntime {
  /** The facts each need takes: the plan asks for them, or stops naming their flags, before anything is written. */
  needs: Record<ApplicationNeed, ContextKey[]>;
  /** The facts this framework's generator (pyrepo's django, flask, ...) establishes with the files it writes. */
  creates(project: Pick<ProjectContext, 'name' | 'package'>): Partial<ProjectContext>;
  /** Environment the application needs in a container at a stage. */
  env(project: ProjectContext, stage: Stage): Record<string, string>;
  /** The WSGI callable, as uWSGI's `module` option takes it; none for servers that are not WSGI. */
  wsgiModule?(project: ProjectContext): string;
  /** The production server when it is not uWSGI: a command run from the repository root, starting with `python`. */
  serve?(project: ProjectContext): string[];
  /** The development server, as an exec-form command. */
  devCommand(project: ProjectContext): string[];
  /** Shell commands a container runs before the server starts (e.g. migrations). */
  prestart(project: ProjectContext): string[];
  /**
   * The variable that skips `prestart` in the production image when it is "false" (they run
   * by default): an orchestrator runs them once, as a job, before a rollout instead.
   */
  prestartSwitch?: ProductionVariable;
  /** Shell commands the production image runs once the source is in (e.g. collecting static files). */
  build(project: ProjectContext): string[];
  /** What its source distribution holds. */
  distribution(project: ProjectContext): Distribution;
  /** What a production run must be given, with example values (documentation, local trials): what pyrepo's own settings read. */
  productionEnv(project: ProjectContext): Record<string, string>;
  /** Every variable the application pyrepo's framework generator writes reads in production (`.env.example`); none for a project's own code. */
  productionVariables(project: ProjectContext): ProductionVariable[];
  /** Files the production server serves itself: URL prefix and folder from the repository root, when the project says both. */
  staticFiles?(project: ProjectContext): { url: string; folder: string } | undefined;
  /**
   * A file the application may write at run time (Django's SQLite database, when DATABASE_URL
   * chooses it): the production image keeps a folder of its own for it, outside the read-only
   * source, as systemd's StateDirectory= does. Nothing points the application there by default.
   */
  state?(project: ProjectContext): { file: string } | undefined;
}

/** Servers that are not WSGI read where to listen from HOST and PORT; in a container, every interface. */
const listenEverywhere = (): Record<string, string> => ({ HOST: '0.0.0.0' });

/** A command run from the repository root for a script in the source root (manage.py in src/ or <project>/). */
const inSourceRoot = (project: ProjectContext, file: string): string => (project.sourceRoot && project.sourceRoot !== '.' ? `${project.sourceRoot}/${file}` : file);

/** An application reference module:attribute, or module:factory() for a factory. */
function splitApp(app: string): { module: string; attribute: string; factory: boolean } {
  const [module, attribute] = app.split(':') as [string, string];
  return { module, attribute: attribute.replace(/\(\)$/, ''), factory: attribute.endsWith('()') };
}

/** Whether the project's Django settings are the ones pyrepo's django generator writes (they read DJANGO_SECRET_KEY, DATABASE_URL, ...). */
const isPyrepoDjango = (project: ProjectContext): boolean => project.settingsModule === frameworkRuntimes.django!.creates(project).settingsModule;

/**
 * What pyrepo's Django prod settings need to load in a build step (collectstatic uses none of it):
 * placeholders that live only in that command, never in the image. A project's own settings get
 * what its Dockerfile build provides.
 */
export const pyrepoDjangoBuildSettings = 'DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite://:memory:';

/** The SQLite file of a Django application that chooses SQLite in production, in its state folder. */
const djangoSqliteFile = 'db.sqlite3';

/** DATABASE_URL for SQLite chosen explicitly, in the one folder production may write (stateLayout). */
export const sqliteUrl = (project: ProjectContext): string => `sqlite:///${stateLayout(project).folder}/${djangoSqliteFile}`;

/** Whether the project's FastAPI application is the one pyrepo's fastapi generator writes (a package with a __main__ that serves it). */
const isPyrepoFastapi = (project: ProjectContext): boolean => project.asgiApp === frameworkRuntimes.fastapi!.creates(project).asgiApp && project.sourceRoot === 'src';

/** uvicorn's command line for an ASGI application of the project. */
function uvicornArguments(project: ProjectContext): string[] {
  const { module, attribute, factory } = splitApp(project.asgiApp!);
  return [`${module}:${attribute}`, ...(factory ? ['--factory'] : []), ...(project.sourceRoot && project.sourceRoot !== '.' ? ['--app-dir', project.sourceRoot] : [])];
}

export const frameworkRuntimes: Partial<Record<Framework, FrameworkRuntime>> = {
  django: {
    needs: { application: ['settingsModule', 'wsgiApp'], 'dev-application': ['devSettingsModule'] },
    creates: project => ({
      sourceRoot: '.',
      settingsModule: `${project.package}.settings.prod`,
      devSettingsModule: `${project.package}.settings.dev`,
      wsgiApp: `${project.package}.wsgi:application`,
      staticUrl: '/static/',
      staticRoot: 'staticfiles',
    }),
    env: (project, stage) => ({ DJANGO_SETTINGS_MODULE: stage === 'prod' ? project.settingsModule! : project.devSettingsModule! }),
    wsgiModule: project => project.wsgiApp!,
    devCommand: project => ['python', inSourceRoot(project, 'manage.py'), 'runserver', `0.0.0.0:${project.port}`],
    prestart: project => [`python ${inSourceRoot(project, 'manage.py')} migrate --noinput`],
    prestartSwitch: { name: 'DJANGO_MIGRATE_ON_START', required: false, example: 'true', description: '"false": the production image\'s entrypoint does not migrate; run `python manage.py migrate --noinput` once per release instead' },
    // Without a STATIC_ROOT in the settings, collectstatic has nowhere to write: no step.
    build: project =>
      project.staticRoot ? [`${isPyrepoDjango(project) ? `${pyrepoDjangoBuildSettings} ` : ''}python ${inSourceRoot(project, 'manage.py')} collectstatic --noinput`] : [],
    distribution: project => ({
      modules: [],
      packages: true,
      scripts: [inSourceRoot(project, 'manage.py')],
      consoleScripts: [],
      manifest: [`recursive-include ${project.package} *.html *.txt *.css *.js *.json`, `graft ${project.package}/static`, `graft ${project.package}/templates`],
    }),
    // The required ones, and plain HTTP for a local trial.
    productionEnv: project => (isPyrepoDjango(project) ? { ...requiredExamples(frameworkRuntimes.django!.productionVariables(project)), DJANGO_SECURE_SSL_REDIRECT: 'false' } : {}),
    productionVariables: project =>
      isPyrepoDjango(project)
        ? [
            { name: 'DATABASE_URL', required: true, example: sqliteUrl(project), description: `the database as a URL (dj-database-url): postgres://user:password@host:5432/${project.package}, or SQLite chosen explicitly in a persistent folder the app may write (as here: the image's volume, the unit's state directory)` },
            { name: 'DJANGO_SECRET_KEY', required: true, example: 'change-me-to-a-long-random-string', description: 'a long random string, secret' },
            { name: 'DJANGO_ALLOWED_HOSTS', required: true, example: 'localhost,127.0.0.1', description: 'the host names the site answers, comma-separated (/healthz answers any)' },
            { name: 'DJANGO_CSRF_TRUSTED_ORIGINS', required: false, example: '', description: 'origins trusted for unsafe requests, comma-separated, e.g. https://example.com' },
            { name: 'DJANGO_SECURE_SSL_REDIRECT', required: false, example: 'true', description: '"false" when the proxy already redirects to HTTPS' },
            { name: 'DJANGO_SECURE_HSTS_SECONDS', required: false, example: '3600', description: 'HSTS max-age; raise it once HTTPS works everywhere' },
            { name: 'DJANGO_STATIC_ROOT', required: false, example: 'staticfiles', description: 'where collectstatic puts static files' },
            { name: 'DJANGO_LOG_LEVEL', required: false, example: 'INFO', description: 'the level of the root logger' },
            { name: 'DJANGO_SETTINGS_MODULE', required: false, example: project.settingsModule!, description: 'the settings module (wsgi.py, the image and the unit set it)' },
          ]
        : [],
    staticFiles: project => (project.staticUrl && project.staticRoot ? { url: project.staticUrl.replace(/\/$/, ''), folder: project.staticRoot } : undefined),
    // pyrepo's settings take SQLite when DATABASE_URL names it; a project's own settings decide for themselves.
    state: project => (isPyrepoDjango(project) ? { file: djangoSqliteFile } : undefined),
  },
  flask: {
    needs: { application: ['wsgiApp'], 'dev-application': ['wsgiApp'] },
    creates: () => ({ sourceRoot: '.', wsgiApp: 'app:app' }),
    env: () => ({}),
    wsgiModule: project => project.wsgiApp!,
    devCommand: project => ['flask', '--app', project.wsgiApp!, 'run', '--host', '0.0.0.0', '--port', String(project.port)],
    prestart: () => [],
    build: () => [],
    // pyrepo's own app.py unless the application is known to be elsewhere (setuptools keeps only what exists).
    distribution: project => {
      const { module } = splitApp(project.wsgiApp ?? frameworkRuntimes.flask!.creates(project).wsgiApp!);
      const topLevel = module.split('.')[0]!;
      return module.includes('.') ? { modules: [], packages: true, scripts: [], consoleScripts: [], manifest: [] } : { modules: [topLevel], packages: false, scripts: [], consoleScripts: [], manifest: [`include ${flaskConfigFile(project)}`] };
    },
    productionEnv: () => ({}),
    productionVariables: project =>
      project.wsgiApp === frameworkRuntimes.flask!.creates(project).wsgiApp
        ? [{ name: `${project.package.toUpperCase()}_CONFIG`, required: false, example: flaskConfigFile(project), description: 'the configuration file app.py reads (default: beside app.py)' }]
        : [],
  },
  fastapi: {
    needs: { application: ['asgiApp'], 'dev-application': ['asgiApp'] },
    creates: project => ({ sourceRoot: 'src', asgiApp: `${project.package}.main:app` }),
    // uvicorn's command line reads UVICORN_HOST and UVICORN_PORT.
    env: project => (isPyrepoFastapi(project) ? listenEverywhere() : { UVICORN_HOST: '0.0.0.0', UVICORN_PORT: String(project.port) }),
    serve: project => (isPyrepoFastapi(project) ? ['python', '-m', project.package] : ['python', '-m', 'uvicorn', ...uvicornArguments(project)]),
    devCommand: project => ['uvicorn', ...uvicornArguments(project), '--reload', '--host', '0.0.0.0', '--port', String(project.port)],
    prestart: () => [],
    build: () => [],
    distribution: project => ({ modules: [], packages: true, scripts: [], consoleScripts: isPyrepoFastapi(project) ? [`${project.name} = ${project.package}.main:main`] : [], manifest: [] }),
    productionEnv: () => ({}),
    productionVariables: project => (isPyrepoFastapi(project) ? listenVariables(project) : []),
  },
  tornado: {
    needs: { application: [], 'dev-application': [] },
    creates: () => ({ sourceRoot: '.' }),
    env: listenEverywhere,
    serve: () => ['python', 'server.py'],
    devCommand: () => ['python', 'server.py'],
    prestart: () => [],
    build: () => [],
    distribution: () => ({ modules: ['server'], packages: false, scripts: [], consoleScripts: [], manifest: [] }),
    productionEnv: () => ({}),
    productionVariables: listenVariables,
  },
};

/** Where pyrepo's FastAPI and Tornado servers listen. */
function listenVariables(project: ProjectContext): ProductionVariable[] {
  return [
    { name: 'HOST', required: false, example: '127.0.0.1', description: 'the address the server listens on (the image: 0.0.0.0)' },
    { name: 'PORT', required: false, example: String(project.port), description: 'the port the server listens on' },
  ];
}

/**
 * What each variable a generated file sets for production means (a unit's Environment=, a
 * supervisord program's environment=, an image's ENV), for `.env.example`.
 */
const setVariableDescriptions: Record<string, string> = {
  HOST: 'the address the server listens on',
  PORT: 'the port the server listens on',
  UVICORN_HOST: "the address uvicorn's command line listens on",
  UVICORN_PORT: "the port uvicorn's command line listens on",
  SHIV_ROOT: 'where the zipapp unpacks its dependencies on first run (a folder the service may write)',
  DJANGO_SETTINGS_MODULE: 'the settings module',
  UWSGI_CHDIR: 'uWSGI: where the code is',
  UWSGI_HTTP_SOCKET: 'uWSGI: the address served',
};

/**
 * How a process is run rather than what the deployment chooses (the release's own virtual
 * environment): set by the unit or program from its layout, never listed in `.env.example`,
 * where an env file would override them.
 */
const processVariables: ReadonlySet<string> = new Set(['PATH', 'VIRTUAL_ENV']);

/**
 * The variables a generated file sets, as `.env.example` lists them: optional, at the value that
 * file sets (systemd's EnvironmentFile= and `docker run --env-file` override it).
 */
export function variablesSet(environment: Record<string, string>, setter: string): ProductionVariable[] {
  return Object.entries(environment)
    .filter(([name]) => !processVariables.has(name))
    .map(([name, value]) => ({ name, required: false, example: value, description: `${setVariableDescriptions[name] ?? name}; ${setter} sets it` }));
}

/** The required variables with their example values. */
function requiredExamples(variables: ProductionVariable[]): Record<string, string> {
  return Object.fromEntries(variables.filter(variable => variable.required).map(variable => [variable.name, variable.example]));
}

/**
 * `.env.example` with the variables it lacks (by name: an edited example stays), appended under
 * a heading: required ones set, optional ones commented out at their default, each with what it
 * is. The format systemd's EnvironmentFile= and `docker run --env-file` read: KEY=value lines.
 */
export function appendEnvExample(text: string, variables: ProductionVariable[], heading: string): string {
  const present = new Set([...text.matchAll(/^(?:#\s*)?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map(match => match[1]!));
  const missing = [...variables.filter(variable => variable.required), ...variables.filter(variable => !variable.required)].filter(variable => !present.has(variable.name));
  if (missing.length === 0) return text;
  const intro = '# The environment production reads. Copy it to .env (git ignores that), or to the env file\n# your service or orchestrator reads, and fill it in.\n';
  const base = text === '' ? intro : text.endsWith('\n') ? text : `${text}\n`;
  const entry = (variable: ProductionVariable) => `# ${variable.required ? 'Required' : 'Optional'}: ${variable.description}.\n${variable.required ? '' : '# '}${variable.name}=${variable.example}\n`;
  return `${base}\n# ${heading}\n${missing.map(entry).join('\n')}`;
}

/** The folder a project's importable code is in: "src" for a src layout, else the repository root. */
export function sourceRoot(project: ProjectContext): string {
  return project.sourceRoot ?? '.';
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
