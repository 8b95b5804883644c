import { existsSync } from 'node:fs';
import { QueuedAdapter } from '@yeoman/adapter';
import type { InputOutputAdapter } from '@yeoman/types';
import { commitState, nonInteractivePrompts } from './commit.js';
import { PyrepoError } from './errors.js';
import type { PlanDraft } from './plan.js';
import { PlanGenerator } from './plan-generator.js';
import { interruptActiveStep, setProgressOutput } from './progress.js';
import { acquireRunFolder, releaseRunFolder } from './run-folder.js';

export interface RunSettings {
  /** Never prompt: defaults for values, "skip" for files the user changed. */
  yes: boolean;
  /** Show what would happen, write nothing. */
  dryRun: boolean;
  /** Overwrite files the user changed. */
  force: boolean;
  /** Skip install steps (venv, pip). */
  skipInstall: boolean;
  /** Show the output of the install steps' commands as it comes (otherwise only when one fails). */
  verbose?: boolean;
  /** Where Yeoman's log lines go (default: the terminal's stderr). */
  output?: NodeJS.WritableStream;
  /** A whole input/output adapter, for tests that answer prompts. */
  adapter?: InputOutputAdapter;
}

export interface RunReport {
  /** Files left as they were because the user changed them and the run could not ask. */
  skippedConflicts: string[];
}

const signalExitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGQUIT: 131 } as const;

/**
 * While a run is under way, a signal (INT, TERM, HUP, QUIT) leaves the repository as it was: before
 * the files are in place, the run folder with the prepared files is removed (and a folder the run
 * made, if empty). The renames into place are synchronous, so a signal is handled before them or
 * after the last one. Any other end of the process before the run finished (a generator's
 * process.exit, an uncaught error) cleans up the same way and never exits 0.
 */
function holdRun(output: NodeJS.WritableStream): () => void {
  let ended = false;
  const outcome = () => (commitState.written ? 'the files were written, the install steps did not finish' : 'nothing was written');
  const onSignal = (signal: keyof typeof signalExitCodes) => {
    ended = true;
    commitState.interrupted = true;
    // The install step under way (venv, pip, git) is stopped first; its own output stays hidden.
    const underWay = interruptActiveStep(signal);
    releaseRunFolder();
    output.write(`pyrepo: interrupted (${signal}); ${outcome()}${underWay ? `: ${underWay}` : ''}.\n`);
    process.exit(signalExitCodes[signal]);
  };
  const onExit = (code: number) => {
    if (ended) return;
    releaseRunFolder();
    output.write(`pyrepo: the process ended before the run finished (${code === 0 ? 'a generator called process.exit(0)' : `exit code ${code}`}); ${outcome()}.\n`);
    if (code === 0) process.exitCode = 1;
  };
  const signals = Object.keys(signalExitCodes) as Array<keyof typeof signalExitCodes>;
  for (const signal of signals) process.on(signal, onSignal);
  process.on('exit', onExit);
  return () => {
    ended = true;
    for (const signal of signals) process.off(signal, onSignal);
    process.off('exit', onExit);
  };
}

/** Run a validated plan draft with Yeoman: compose, write through mem-fs, commit (all or nothing). */
export async function runDraft(draft: PlanDraft, settings: RunSettings): Promise<RunReport> {
  const skippedConflicts: string[] = [];
  const streams = settings.output ? { stdout: settings.output, stderr: settings.output } : {};
  const asks = !settings.yes && draft.interactive;
  const prompts = asks ? {} : { promptModule: nonInteractivePrompts(skippedConflicts) as never };
  commitState.written = false;
  commitState.interrupted = false;
  commitState.changedDuringRun = [];
  const releaseRun = holdRun(settings.output ?? process.stderr);
  setProgressOutput({ stream: settings.output, verbose: settings.verbose });
  try {
    // One run at a time in a repository, before Yeoman reads any of its files.
    if (!settings.dryRun && existsSync(draft.targetDir)) await acquireRunFolder(draft.targetDir);
    const { createEnv } = await import('yeoman-environment');
    const adapter = settings.adapter ?? new QueuedAdapter({ ...streams, ...prompts } as never);
    // A dry run that cannot ask answers the conflicter's questions as the real run would ("skip", and
    // the file recorded): Yeoman's dry-run conflicter asks nothing, and would report no file skipped.
    // One that can ask shows each conflict and its diff instead (the real run asks about it).
    const env = createEnv({ cwd: draft.targetDir, adapter, force: settings.force, dryRun: settings.dryRun && asks, skipInstall: settings.skipInstall } as never);
    const generator = await env.instantiate(PlanGenerator as never, {
      generatorOptions: { pyrepoDraft: draft, destinationRoot: draft.targetDir, skipInstall: settings.skipInstall, yes: settings.yes, dryRun: settings.dryRun },
    } as never);
    await env.runGenerator(generator as never);
  } catch (error) {
    if (!commitState.written) throw error;
    // A step after the commit (install, end) failed: the files are in place, and the message says so.
    const message = error instanceof Error ? error.message : String(error);
    throw Object.assign(new PyrepoError(`the files were written, but a step after writing them failed: ${message}`, 1), { stack: (error as Error).stack });
  } finally {
    releaseRunFolder();
    releaseRun();
  }
  return { skippedConflicts: [...skippedConflicts, ...commitState.changedDuringRun] };
}
export { generateInMemory } from './regenerate.js';
export { skippedConflictsMessage, writeFilesAtomically } from './commit.js';
export { RepositoryReader } from './repository-files.js';
export { unifiedDiff } from './merge-status.js';
export { conflictMarkersIn, mergeThreeWay } from './three-way-merge.js';
