import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv, type Options } from 'yargs';
import {
  PyrepoError,
  Registry,
  Trust,
  UsageError,
  codeOrigin,
  composePlan,
  confirmTrust,
  contextSchema,
  draftPlan,
  finalizePlan,
  formatProblems,
  inspectProject,
  renderOptionsHelp,
  resolvePreset,
  type EntrySource,
  type GeneratorEntry,
  type PlanRequest,
  type PresetEntry,
} from '@pyrepo/core/host';
import { catalog, catalogDir } from 'generator-pyrepo/catalog';
import { collectValues, flagsOf, projectFactsGroup, projectFlags, runFlagDefinitions } from './options.js';
import { describeDraft, describeModel, describePlan, factLines } from './output.js';
import { initPackage, nextSteps } from './init.js';
import { checkOutsideOtherRepository, checkTargetFolder } from './target.js';
import { acceptCommand, checkCommand, type RecordCommandContext } from './check.js';
import { updateCommand } from './update.js';
import { importWithSharedCore } from './shared-core.js';

// Resolved by package name: the same from the compiled sources and from the bundle.
const packageJsonPath = fileURLToPath(import.meta.resolve('pyrepo/package.json'));
const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string; homepage?: string };
const version = packageJson.version;

/**
 * Where the documentation is, whole, wherever help is read: the package's homepage when it names
 * one; from a clone, its getting-started guide; else the package's page on npm.
 */
function docsReference(): string {
  if (packageJson.homepage) return packageJson.homepage;
  const guide = resolve(dirname(packageJsonPath), '..', '..', 'docs', 'getting-started.md');
  return existsSync(guide) ? guide : 'https://www.npmjs.com/package/pyrepo';
}

export const exitCodes = { done: 0, failed: 1, usage: 2, conflicts: 3, interrupted: 130 } as const;

/** Streams the CLI writes to (tests capture them). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  /** Whether a person can answer prompts. */
  interactive: boolean;
  /** Told once a generation has run, with where its generators came from (the bin keeps a code cache with the code it compiled). */
  generated?: (sources: ReadonlyArray<EntrySource['type']>) => void;
}

const epilogue = [
  'Exit codes: 0 done; 1 generation failed (nothing written); 2 bad usage or invalid options',
  '(nothing written); 3 files you changed, before or during the run, were left as they are (--yes',
  'without --force); 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129 SIGHUP, 131 SIGQUIT:',
  'nothing written unless the install steps had begun.',
  `Docs: ${docsReference()}`,
].join('\n');

/** The registry of a command: it finds team packages (see Registry) and loads only what `trust` allows. */
function registryFor(cwd: string, trust = new Trust(), projectDir?: string): Registry {
  return new Registry({ catalog, catalogDir, cwd, projectDir, trust, importModule: importWithSharedCore });
}

/** A yes/no question on the terminal (the trust question: asked before Yeoman's prompts exist). */
async function askYesNo(question: string): Promise<boolean> {
  // Loaded when asked only (the bundle runs as a script: a built-in module through getBuiltinModule, not import()).
  const { createInterface } = process.getBuiltinModule('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

/** Options of the generators a preset or generator list names, for `--help` (only built when help is asked). */
function helpFlags(tokens: string[], kind: 'preset' | 'generators', cwd: string): Record<string, Options> {
  if (!tokens.includes('--help') && !tokens.includes('-h')) return {};
  const refs = tokens.slice(1).filter(token => !token.startsWith('-'));
  const projectFacts = flagsOf(contextSchema, projectFactsGroup, true);
  try {
    const registry = registryFor(cwd);
    const entries: GeneratorEntry[] =
      kind === 'preset' ? (refs[0] ? resolvePreset(registry, refs[0]).steps.map(step => step.entry) : []) : refs.flatMap(ref => registry.findGenerator(ref) ?? []);
    return Object.assign(projectFacts, ...entries.map(entry => flagsOf(entry.schema, `Options of generator ${entry.name}:`, true)));
  } catch {
    return projectFacts;
  }
}

/** Run `pyrepo` with arguments; resolves to the exit code. */
export async function main(args: string[], io: Io): Promise<number> {
  let exitCode: number = exitCodes.done;
  const debug = args.includes('--debug');

  const generate = async (request: Omit<PlanRequest, 'values' | 'interactive'>, argv: Record<string, unknown>) => {
    const values = collectValues(argv);
    const interactive = io.interactive && !argv.yes;
    const registry = registryFor(io.cwd, new Trust({ everything: Boolean(argv.trust) }), request.targetDir);
    const composition = await composePlan(request, registry);
    await confirmTrust(composition, interactive ? askYesNo : undefined);
    const draft = draftPlan({ ...request, values, interactive }, registry, composition);
    // The banner that starts the statuses comes from the run, once every generator validated its input.
    if (argv.dryRun) io.out(`${draft.interactive ? describeDraft(draft) : describePlan(finalizePlan(draft))}\n`);
    else if (request.generators && !draft.interactive) {
      // What `add` took from the repository, before the files it writes from it.
      const facts = factLines(finalizePlan(draft));
      if (facts.length > 0) io.out(`${facts.join('\n').replace(/^  facts used:/, 'Facts used:')}\n`);
    }
    const { runDraft, skippedConflictsMessage } = await import('@pyrepo/core/run');
    const report = await runDraft(draft, { yes: Boolean(argv.yes), dryRun: Boolean(argv.dryRun), force: Boolean(argv.force), skipInstall: Boolean(argv.skipInstall), verbose: Boolean(argv.verbose) });
    io.generated?.(draft.steps.map(step => step.entry.source.type));
    if (report.skippedConflicts.length > 0) {
      io.err(skippedConflictsMessage(report.skippedConflicts, Boolean(argv.dryRun)));
      exitCode = exitCodes.conflicts;
    }
    if (argv.dryRun) {
      io.out('Dry run: nothing was written.\n');
    } else if (report.skippedConflicts.length === 0) {
      io.out(`Done: ${draft.targetDir}\n`);
    }
  };

  const withRunFlags = (y: Argv, tokens: string[], kind: 'preset' | 'generators') =>
    y.options(runFlagDefinitions).options(projectFlags).options(helpFlags(tokens, kind, io.cwd)).epilogue(epilogue);

  const records: RecordCommandContext = { io, registry: (cwd, trust, projectDir) => registryFor(cwd, new Trust({ everything: trust }), projectDir), setExitCode: code => (exitCode = code) };
  const parser = yargs(args)
    .scriptName('pyrepo')
    .usage('$0 <command> [options]\n\nScaffold and maintain production-ready Python application repositories.')
    .parserConfiguration({ 'camel-case-expansion': true, 'strip-dashed': true })
    .command(
      'new <preset> [dir]',
      'Generate a repository from a preset into a folder',
      y =>
        withRunFlags(y, args, 'preset')
          .positional('preset', { type: 'string', describe: 'Preset: a name (wpmedia-django), an npm package (@acme/pyrepo-preset-web or @acme/web), or a path' })
          .positional('dir', { type: 'string', describe: 'Target folder; created if missing. The project name defaults to its name' })
          .option('in-existing-git', { type: 'boolean', describe: 'Generate inside the work tree of another git repository (a monorepo): no git init of its own. Without it, pyrepo refuses such a folder.', group: 'Run:' })
          .example('$0 new wpmedia-django my-app --yes', 'A Django repository in ./my-app, with defaults')
          .example('$0 new wpmedia-django blog --python 3.13 --dry-run', 'Show what would be written'),
      async argv => {
        if ((argv.preset as string).trim() === '') throw new UsageError({ message: 'The preset name is empty.', fix: 'give a preset: a name (see `pyrepo list`), an npm package or a path.' });
        const dir = resolve(io.cwd, (argv.dir as string | undefined) ?? '.');
        checkTargetFolder(dir);
        if (!argv.inExistingGit) checkOutsideOtherRepository(dir, argv.preset as string);
        await generate({ targetDir: dir, preset: argv.preset as string }, argv);
      },
    )
    .command(
      'add <generators..>',
      'Add generators to an existing repository',
      y =>
        withRunFlags(y, args, 'generators')
          .positional('generators', { type: 'string', array: true, describe: 'Generators: names (uwsgi), npm packages, or paths' })
          .option('dir', { type: 'string', describe: 'Repository folder (default: the current one)', group: 'Run:' })
          .example('$0 add pyproject', 'Add pyproject.toml tool configuration to this repository')
          .example('$0 add requirements --layout single --base "Django==5.2.8"', 'One pinned requirements.txt'),
      async argv => {
        const dir = resolve(io.cwd, argv.dir ?? '.');
        if (!existsSync(dir) || !statSync(dir).isDirectory()) {
          throw new UsageError({ message: `Folder ${dir} does not exist.`, fix: '`pyrepo add` works in an existing repository: pass --dir <folder>, or create one with `pyrepo new <preset> <folder>`.' });
        }
        checkTargetFolder(dir);
        if ((argv.generators as string[]).some(name => name.trim() === '')) throw new UsageError({ message: 'A generator name is empty.', fix: 'give generators by name (see `pyrepo list`), npm package or path.' });
        await generate({ targetDir: dir, generators: argv.generators as string[] }, argv);
      },
    )
    .command(updateCommand(records))
    .command(checkCommand(records))
    .command(acceptCommand(records))
    .command(
      'init <kind> <name>',
      'Start a team preset or generator package (publishable to npm)',
      y =>
        y
          .positional('kind', { type: 'string', choices: ['preset', 'generator'], describe: 'What to start' })
          .positional('name', { type: 'string', describe: 'Its name: web, @acme/web, or a full package name (@acme/pyrepo-preset-web)' })
          .option('dir', { type: 'string', describe: 'Folder to create (default: the package name, without scope)' })
          .option('description', { type: 'string', describe: 'One line saying what it is' })
          .option('extends', { type: 'string', describe: 'For a preset: the preset it builds on (default: wpmedia-django)' })
          .example('$0 init preset @acme/web --extends wpmedia-django', 'A preset package in ./pyrepo-preset-web')
          .example('$0 init generator @acme/sentry', 'A generator package in ./pyrepo-generator-sentry')
          .epilogue(epilogue),
      argv => {
        const created = initPackage(
          { kind: argv.kind as 'preset' | 'generator', name: argv.name!, dir: argv.dir, description: argv.description, extendsPreset: argv.extends, cwd: io.cwd },
          registryFor(io.cwd),
        );
        io.out(`Created ${created.packageName} in ${created.dir}:\n${created.files.map(file => `  ${file}\n`).join('')}\n${nextSteps(created, argv.kind as 'preset' | 'generator')}`);
      },
    )
    .command(
      'inspect [dir]',
      'Print what pyrepo reads from a repository: each fact, its value and where it came from',
      y =>
        y
          .positional('dir', { type: 'string', describe: 'Repository folder (default: the current one)' })
          .option('json', { type: 'boolean', describe: 'Print JSON' })
          .example('$0 inspect', 'The project model of this repository')
          .epilogue(epilogue),
      async argv => {
        const dir = resolve(io.cwd, argv.dir ?? '.');
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError({ message: `Folder ${dir} does not exist.`, fix: 'pass the folder of a repository (default: the current one).' });
        checkTargetFolder(dir);
        const model = await inspectProject(dir);
        io.out(argv.json ? `${JSON.stringify({ dir, facts: model.facts, files: model.files, notFound: model.lookedAt }, null, 2)}\n` : describeModel(model));
      },
    )
    .command(
      'list',
      'List presets and generators, with their source',
      y => y.option('json', { type: 'boolean', describe: 'Print JSON' }).epilogue(epilogue),
      argv => {
        const registry = registryFor(io.cwd);
        const rows = registry.listInstalled().map(row => ({ ...row, ...(row.source.type === 'built-in' ? {} : { trusted: isTrusted(registry, row) }) }));
        if (argv.json) {
          io.out(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        for (const kind of ['preset', 'generator'] as const) {
          io.out(`${kind === 'preset' ? 'Presets' : 'Generators'}:\n`);
          const list = rows.filter(row => row.kind === kind);
          const width = Math.max(...list.map(row => row.name.length), 4);
          for (const row of list) {
            const source = row.source.type === 'path' ? row.source.path : `${row.source.type === 'built-in' ? 'built-in ' : ''}${row.source.packageName}@${row.source.version}`;
            const location = row.source.type === 'path' ? '' : `\n  ${' '.repeat(width)}  in ${row.source.path}${trustNote(row.trusted)}`;
            io.out(`  ${row.name.padEnd(width)}  ${row.error ? `BROKEN: ${row.error}` : row.description}\n  ${' '.repeat(width)}  (${source})${location}\n`);
          }
        }
      },
    )
    .command(
      'info <name>',
      'Describe a preset or generator and its options',
      y => y.positional('name', { type: 'string', describe: 'Preset or generator name, package or path' }).option('json', { type: 'boolean', describe: 'Print JSON' }).epilogue(epilogue),
      argv => {
        const registry = registryFor(io.cwd);
        const name = argv.name!;
        const presetEntry = registry.findPreset(name);
        if (presetEntry) {
          const preset = resolvePreset(registry, name);
          if (argv.json) {
            io.out(`${JSON.stringify({ kind: 'preset', ...preset, steps: preset.steps.map(s => ({ generator: s.entry.name, options: s.options })), source: presetEntry.source }, null, 2)}\n`);
            return;
          }
          io.out(`${preset.name} (preset${sourceNote(presetEntry.source)})\n  ${locationNote(registry, presetEntry)}\n  ${preset.description}\n`);
          if (preset.chain.length > 1) io.out(`  extends: ${preset.chain.slice(0, -1).join(' -> ')}\n`);
          io.out(`  project facts: ${Object.entries(preset.context).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '(defaults)'}\n\nGenerators, in order:\n`);
          for (const step of preset.steps) {
            const options = Object.entries(step.options).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
            io.out(`  ${step.entry.name}: ${step.entry.description}${options ? `\n      preset sets: ${options}` : ''}\n`);
          }
          io.out(`\nRun: pyrepo new ${name} <dir>   (options: pyrepo new ${name} --help)\n`);
          return;
        }
        const entry = registry.findGenerator(name);
        if (!entry) throw new UsageError(registry.unknownPresetOrGenerator(name));
        if (argv.json) {
          io.out(`${JSON.stringify({ kind: 'generator', name: entry.name, description: entry.description, source: entry.source, schema: entry.schema }, null, 2)}\n`);
          return;
        }
        const options = renderOptionsHelp(entry.schema);
        io.out(`${entry.name} (generator${sourceNote(entry.source)})\n  ${locationNote(registry, entry)}\n  ${entry.description}\n\nOptions:\n${options.length > 0 ? options.join('\n') : '  (none of its own)'}\n\nRun: pyrepo add ${entry.name}   (in a repository)\n`);
      },
    )
    .option('debug', { type: 'boolean', describe: 'Print stack traces of unexpected errors', global: true })
    .strictCommands()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(version)
    .epilogue(epilogue)
    .wrap(process.stdout.isTTY ? Math.min(110, process.stdout.columns) : null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? commandLineProblem(message, args);
    });

  try {
    let printed = false;
    const argv = await parser.parseAsync(args, {}, (error, _argv, output) => {
      if (output && !error) {
        io.out(`${output}\n`);
        printed = true;
      }
    });
    if (!printed && argv._.length === 0) {
      throw new UsageError({ message: 'Give a command: new, add, init, list or info.', fix: 'see `pyrepo --help`.' });
    }
    return exitCode;
  } catch (error) {
    return reportError(error, io, debug);
  }
}

/** What each command needs when it is given too few arguments, with an example. */
const commandNeeds: Record<string, { needs: string; example: string }> = {
  new: { needs: 'a preset, and the folder to create (default: the current one)', example: 'pyrepo new wpmedia-django my-app' },
  add: { needs: 'the generators to add', example: 'pyrepo add pyproject uwsgi' },
  init: { needs: 'what to start (preset or generator) and its name', example: 'pyrepo init preset @acme/web' },
  info: { needs: 'the name of a preset or generator', example: 'pyrepo info wpmedia-django' },
};

/** A command line yargs refused, in pyrepo's words where it knows them. */
function commandLineProblem(message: string | undefined, args: string[]): UsageError {
  const command = args.find(arg => !arg.startsWith('-'));
  const needed = command !== undefined && Object.hasOwn(commandNeeds, command) ? commandNeeds[command] : undefined;
  if (needed && message?.startsWith('Not enough non-option arguments')) {
    return new UsageError({ message: `pyrepo ${command} needs ${needed.needs}.`, fix: `for example: ${needed.example} (\`pyrepo list\` shows the presets and generators; \`pyrepo ${command} --help\` the options).` });
  }
  return new UsageError({ message: message ?? 'Invalid command line.', fix: 'see `pyrepo --help`.' });
}

/** Whether the user trusts a listed package (list reads its package.json only: nothing of it is loaded). */
function isTrusted(registry: Registry, row: { kind: 'preset' | 'generator'; source: EntrySource }): boolean {
  const origin = codeOrigin({ kind: row.kind, source: row.source } as PresetEntry);
  return !origin || registry.trust!.has(origin);
}

function trustNote(trusted: boolean | undefined): string {
  return trusted === false ? ' (not trusted: pyrepo runs it only with --trust, see docs/getting-started.md)' : '';
}

/** Where an entry comes from, for info: pyrepo's own copy or the folder it was found in, and whether it is trusted. */
function locationNote(registry: Registry, entry: GeneratorEntry | PresetEntry): string {
  return `${entry.source.type === 'built-in' ? 'built in, ' : ''}in ${entry.source.path}${trustNote(isTrusted(registry, entry))}`;
}

function sourceNote(source: GeneratorEntry['source']): string {
  return source.type === 'path' ? `, from ${source.path}` : `, ${source.type === 'built-in' ? 'built-in ' : ''}${source.packageName}@${source.version}`;
}

/** Print an error the way users can act on, and choose the exit code. */
export function reportError(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof UsageError) {
    io.err(`pyrepo: invalid input:\n${formatProblems(error.problems).replace(/^/gm, '  ')}\n`);
    return exitCodes.usage;
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    io.err('pyrepo: cancelled; nothing was written.\n');
    return exitCodes.interrupted;
  }
  if (error instanceof PyrepoError) {
    io.err(`pyrepo: ${error.message}\n${debug && error.stack ? `${error.stack}\n` : ''}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`pyrepo: generation failed: ${message}\n${debug && error instanceof Error ? `${error.stack}\n` : '(run with --debug for the stack trace)\n'}`);
  return exitCodes.failed;
}
