import type { Options } from 'yargs';
import {
  UsageError,
  contextSchema,
  describeFlags,
  fromFlag,
  isPlainObject,
  readJsonFile,
  resolveOption,
  toFlag,
  type GeneratorSchema,
  type JsonObject,
  type OptionSchema,
} from '@pyrepo/core/host';

/**
 * yargs flags of a schema's options. Values stay strings when parsed: the schema validator coerces
 * and explains (yargs would turn a number flag's "abc" into NaN). Help (`forHelp`, where nothing is
 * parsed) shows a number option as [number].
 */
export function flagsOf(schema: GeneratorSchema, group: string, forHelp = false): Record<string, Options> {
  const descriptions = describeFlags(schema);
  return Object.fromEntries(
    Object.entries(schema.properties).map(([name, option]) => [toFlag(name), flagOf(option, descriptions[`--${toFlag(name)}`]!, group, forHelp)]),
  );
}

function flagOf(option: OptionSchema, describe: string, group: string, forHelp: boolean): Options {
  const { type } = resolveOption(option);
  return {
    describe,
    type: type === 'boolean' ? 'boolean' : type === 'array' ? 'array' : forHelp && (type === 'integer' || type === 'number') ? 'number' : 'string',
    group,
  };
}

/** The project facts, flags of every command that generates. */
export const projectFactsGroup = 'Project facts:';
export const projectFlags = flagsOf(contextSchema, projectFactsGroup);

/** Flags of the run itself. */
export const runFlagDefinitions: Record<string, Options> = {
  yes: { alias: 'y', type: 'boolean', describe: 'Accept defaults and never prompt; files you changed are skipped (exit code 3) unless --force.', group: 'Run:' },
  answers: { type: 'string', describe: 'JSON file of answers: project facts and generator options (nested under a generator name to target one).', group: 'Run:' },
  'dry-run': { type: 'boolean', describe: 'Print the plan, what would change (statuses, diffs of changed files) and the later steps (venv, pip, git) with their commands, as the run would; write nothing; exit with the run\'s code.', group: 'Run:' },
  force: { type: 'boolean', describe: 'Overwrite files you changed since pyrepo wrote them.', group: 'Run:' },
  'skip-install': { type: 'boolean', describe: 'Do not create virtual environments or install packages.', group: 'Run:' },
  verbose: { type: 'boolean', describe: 'Show the output of the install steps\' commands (venv, pip, git) as it comes; otherwise it is shown only when one fails.', group: 'Run:' },
  trust: { type: 'boolean', describe: 'Load presets and generators that did not ship with pyrepo (npm packages, paths), this run only; without it they are asked about once, or refused.', group: 'Run:' },
};

/** Keys of parsed arguments that are not option values. */
const notValues = new Set(['_', '$0', 'y', 'h', 'preset', 'dir', 'generators', 'yes', 'answers', 'dryRun', 'force', 'skipInstall', 'verbose', 'trust', 'inExistingGit', 'debug', 'help', 'version']);

/** Option names to camelCase; an object's key is a generator name (docker-prod), kept as it is. */
function camelKeys(values: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => (isPlainObject(value) ? [key, camelKeys(value)] : [fromFlag(key), value])));
}

/** Option values of a run: the answers file under the command line (nested generator objects merge). */
export function collectValues(argv: Record<string, unknown>): JsonObject {
  let answers: JsonObject = {};
  if (typeof argv.answers === 'string') {
    const data = readJsonFile(argv.answers, 'answers file', 'pass --answers with the path of a JSON file that holds an object of option values.');
    if (!isPlainObject(data)) {
      throw new UsageError({ message: `answers file ${argv.answers} must hold a JSON object, not ${Array.isArray(data) ? 'an array' : typeof data}.`, fix: 'write the values as { "name": "my-app", "python": "3.12" }.' });
    }
    answers = camelKeys(data);
  } else if (argv.answers !== undefined) {
    throw new UsageError({ message: '--answers needs a file path.', fix: 'pass --answers <file.json>.' });
  }
  const values: JsonObject = { ...answers };
  for (const [key, value] of Object.entries(argv)) {
    if (notValues.has(key) || value === undefined) continue;
    const current = values[key];
    values[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...camelKeys(value) } : value;
  }
  return values;
}

