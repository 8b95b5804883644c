import { join } from 'node:path';
import { parse as parseIni } from 'ini';
import { imageServerCommand } from './containers.js';
import { normalizeName, type Framework, type ProjectContext } from './context.js';
import type { Problem } from './errors.js';
import { frameworkRuntimes } from './frameworks.js';
import { showValue, toFlag } from './json.js';
import type { PlanDraft, PlanStep } from './plan.js';
import { readRegularFile } from './regular-file.js';
import { isRequirementsFile, providedNames } from './requirements.js';
import { requirementsOf } from './requirements-of.js';

// The parts of a plan that must agree across generators, checked once the whole composition is
// validated and before any generator runs: what one generator runs, another must install.

/**
 * Folders the distribution's package manager installs programs into. A uWSGI there is the
 * system's (Debian's uwsgi-core): it loads Python only as a plugin, which the ini must name.
 * Elsewhere (/usr/local/bin, a release's virtual environment) it is pip's, with Python built in.
 */
const packagedProgramFolders = ['/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/'];

/** The project (PEP 503 name) that installs each server program an image may run. */
const serverProjects: Record<string, string> = {
  uwsgi: 'uwsgi',
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  hypercorn: 'hypercorn',
  daphne: 'daphne',
  'waitress-serve': 'waitress',
};

interface CheckedStep {
  step: PlanStep;
  /** Where each option's value came from; none for a default. */
  sources: Record<string, string>;
}

/** Take `value` for an option nobody chose (what the rest of the composition implies); false when someone chose it. */
function implyChoice(checked: CheckedStep, key: string, value: string): boolean {
  if (checked.sources[key] !== undefined) return false;
  checked.step.options[key] = value;
  checked.step.chosen[key] = value;
  return true;
}

/** How an option is named in messages, with where its value came from. */
function describeChoice(name: string, key: string, value: unknown, sources: Record<string, string>, preset?: string): string {
  const where = { option: '', prompt: ' (answered)', stored: ' (stored in .yo-rc.json)', preset: ` (set by preset "${preset}")` }[sources[key] ?? ''] ?? ' (the default)';
  return `--${toFlag(key)} ${showValue(value)} of generator "${name}"${where}`;
}

/**
 * Make the plan's generators agree, and report what cannot: a choice one generator implies for
 * another is applied when the user made none (and stored with the user's choices, so a later run
 * writes the same); a conflict between choices is a problem naming both and the ways out.
 * Called by finalizePlan on the validated steps; nothing has been written yet.
 */
export function checkComposition(draft: PlanDraft, steps: PlanStep[], project: ProjectContext): Problem[] {
  const find = (name: string): CheckedStep | undefined => {
    const index = steps.findIndex(step => step.entry.name === name);
    return index === -1 ? undefined : { step: steps[index]!, sources: draft.steps[index]?.sources ?? {} };
  };
  // This run's preset, or the one the repository was made from (whose options the steps keep).
  const preset = draft.preset?.name ?? draft.stored.preset;
  return [
    ...systemUwsgiNeedsItsPlugin(find('uwsgi'), find('systemd'), preset),
    ...repositoryIniLoadsThePlugin(draft, find('uwsgi'), find('systemd')),
    ...imageInstallsItsServer(draft, find('docker-prod'), find('uwsgi'), project, preset),
    ...deployShipsWhatTheUnitRuns(find('deploy'), find('systemd'), preset),
  ];
}

/** Whether a systemd step runs a system uWSGI, which loads Python as a plugin. */
function runsSystemUwsgi(systemd: CheckedStep): boolean {
  return systemd.step.options.run === 'uwsgi' && packagedProgramFolders.some(folder => String(systemd.step.options.uwsgiBinary).startsWith(folder));
}

/**
 * A systemd unit that runs the system's uWSGI needs an ini that loads the python3 plugin, which
 * the uwsgi generator writes with --install system; pip's uWSGI (the default) has Python built in
 * and its ini does not load it: Debian's uWSGI then stops at `unknown config directive: module`.
 */
function systemUwsgiNeedsItsPlugin(uwsgi: CheckedStep | undefined, systemd: CheckedStep | undefined, preset?: string): Problem[] {
  if (!uwsgi || !systemd || !runsSystemUwsgi(systemd) || uwsgi.step.options.install !== 'pip') return [];
  const binary = String(systemd.step.options.uwsgiBinary);
  if (implyChoice(uwsgi, 'install', 'system')) return [];
  return [
    {
      key: 'install',
      message:
        `${describeChoice('uwsgi', 'install', 'pip', uwsgi.sources, preset)} writes uwsgi.ini for pip's uWSGI (Python built in, no plugin line), ` +
        `but generator "systemd" runs the system's uWSGI (${describeChoice('systemd', 'uwsgiBinary', binary, systemd.sources, preset)}), which loads Python only as a plugin: ` +
        'it would stop at "unknown config directive: module".',
      fix: `choose one: --install system (the server's uWSGI with its python3 plugin, e.g. Debian's uwsgi-core and uwsgi-plugin-python3), or --uwsgi-binary with the path of the pip-installed uWSGI the server runs (e.g. a virtual environment's bin/uwsgi).`,
    },
  ];
}

/**
 * A unit added to a repository whose uwsgi.ini an earlier run wrote (or the user did): the system's
 * uWSGI needs that ini to load the python3 plugin, and this run does not rewrite it.
 */
function repositoryIniLoadsThePlugin(draft: PlanDraft, uwsgi: CheckedStep | undefined, systemd: CheckedStep | undefined): Problem[] {
  if (uwsgi || !systemd || !runsSystemUwsgi(systemd)) return [];
  const text = readRegularFile(join(draft.targetDir, 'uwsgi.ini'), 'uwsgi.ini')?.contents.toString('utf8');
  if (text === undefined) return [];
  const section = parseIni(text).uwsgi as Record<string, unknown> | undefined;
  const plugins = [section?.plugins, section?.plugin].flat().filter((value): value is string => typeof value === 'string');
  if (plugins.some(value => /\bpython3?\b/.test(value))) return [];
  return [
    {
      key: 'uwsgiBinary',
      message: `Generator "systemd" runs the system's uWSGI (${String(systemd.step.options.uwsgiBinary)}), which loads Python only as a plugin, but the repository's uwsgi.ini loads none (it was written for pip's uWSGI): the service would stop at "unknown config directive: module".`,
      fix: 'choose one: add uwsgi to this run (pyrepo add uwsgi systemd: the ini is then written for the system\'s uWSGI), or add "plugins = python3" to uwsgi.ini yourself, or point --uwsgi-binary at the pip-installed uWSGI the server runs.',
    },
  ];
}

/**
 * A unit that runs a zipapp (`systemd --run zipapp`: current/<name>.pyz) needs the deploy script
 * to put the .pyz there; unpacking a source archive instead leaves the unit nothing to start.
 */
function deployShipsWhatTheUnitRuns(deploy: CheckedStep | undefined, systemd: CheckedStep | undefined, preset?: string): Problem[] {
  if (!deploy || !systemd) return [];
  const runsZipapp = systemd.step.options.run === 'zipapp';
  if (runsZipapp === (deploy.step.options.artifact === 'zipapp')) return [];
  if (runsZipapp && implyChoice(deploy, 'artifact', 'zipapp')) return [];
  return [
    {
      key: 'artifact',
      message:
        `${describeChoice('deploy', 'artifact', deploy.step.options.artifact, deploy.sources, preset)} deploys ${runsZipapp ? 'a source archive' : 'a zipapp'}, ` +
        `but ${describeChoice('systemd', 'run', systemd.step.options.run, systemd.sources, preset)} ${runsZipapp ? 'starts the zipapp <name>.pyz' : 'does not run a zipapp'}: the service would not start the release.`,
      fix: runsZipapp ? 'use --artifact zipapp with --run zipapp.' : 'choose one: --run zipapp (the unit starts the .pyz), or --artifact sdist or venv.',
    },
  ];
}

/** A production image runs its server from the virtual environment it installs: something it installs must provide it. */
function imageInstallsItsServer(draft: PlanDraft, dockerProd: CheckedStep | undefined, uwsgi: CheckedStep | undefined, project: ProjectContext, preset?: string): Problem[] {
  const runtime = frameworkRuntimes[project.framework as Framework];
  if (!dockerProd || !runtime) return [];
  const command = imageServerCommand(project, runtime, dockerProd.step.options.serverCommand as string[]);
  const needed = serverProjects[command[0] ?? ''];
  if (needed === undefined) return [];
  if (needed === 'uwsgi' && uwsgi?.step.options.install === 'pip') return [];
  const read = (path: string) => readRegularFile(join(draft.targetDir, path), path)?.contents.toString('utf8');
  const layout = requirementsOf(project, { read });
  const files = [...new Set([layout.ships, layout.roles.prod].filter(isRequirementsFile))];
  // Production declared in TOML or a lock pip cannot read: docker-prod itself refuses, naming the flag.
  if (files.length === 0) return [];
  if (files.some(file => providedNames({ read }, file).has(normalizeName(needed)))) return [];
  const uwsgiChoice =
    needed === 'uwsgi' && uwsgi
      ? `, and ${describeChoice('uwsgi', 'install', uwsgi.step.options.install, uwsgi.sources, preset)} installs uWSGI from the server's packages, which the image does not have`
      : ', and no generator of this run adds it';
  return [
    {
      key: 'serverCommand',
      message: `Generator "docker-prod": the image runs ${showValue(command.join(' '))} (its CMD), but nothing it installs provides ${command[0]}: ${files.join(' and ')} (what the image installs) do not name ${needed}${uwsgiChoice}.`,
      fix:
        `choose one: add ${needed} to ${layout.roles.prod} yourself${layout.ships !== layout.roles.prod ? ` (and to ${layout.ships})` : ''}` +
        `${needed === 'uwsgi' ? ', or run the uwsgi generator with --install pip in the same run' : ''}; ` +
        'or give the image a server it installs with --server-command; or leave docker-prod out.',
    },
  ];
}
