import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { QueuedAdapter } from '@yeoman/adapter';
import type { InputOutputAdapter } from '@yeoman/types';
import { commitState, undoPreparedWrites } from './commit.js';
import { UsageError } from './errors.js';
import type { PlanDraft } from './plan.js';
import { PlanGenerator } from './plan-generator.js';

export interface RunSettings {
  /** Never prompt: defaults for values, "skip" for files the user changed. */
  yes: boolean;
  /** Show what would happen, write nothing. */
  dryRun: boolean;
  /** Overwrite files the user changed. */
  force: boolean;
  /** Skip install steps (venv, pip). */
  skipInstall: boolean;
  /** Where Yeoman's log lines go (default: the terminal's stderr). */
  output?: NodeJS.WritableStream;
  /** A whole input/output adapter, for tests that answer prompts. */
  adapter?: InputOutputAdapter;
}

export interface RunReport {
  /** Files left as they were because the user changed them and the run could not ask. */
  skippedConflicts: string[];
}

type Questions = Array<{ type?: string; name: string; message?: string; default?: unknown }>;

/**
 * Answers for a run that must not ask: the conflict question gets "skip" (and the file is
 * recorded), any other question its default; a question without a default is a usage error.
 */
function nonInteractivePrompts(skipped: string[]) {
  return async (questions: Questions | Questions[number]) => {
    const answers: Record<string, unknown> = {};
    for (const question of Array.isArray(questions) ? questions : [questions]) {
      if (question.type === 'expand' && /^Overwrite .*\?$/.test(question.message ?? '')) {
        skipped.push(question.message!.replace(/^Overwrite (.*)\?$/, '$1'));
        answers[question.name] = 'skip';
      } else if (question.default !== undefined && typeof question.default !== 'function') {
        answers[question.name] = question.default;
      } else {
        throw new UsageError({ message: `A generator asked "${question.message ?? question.name}", but this run cannot ask.`, fix: 'run it in a terminal without --yes, or pass the value as an option.' });
      }
    }
    return answers;
  };
}

const signalExitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * While a run is under way, SIGINT and SIGTERM leave the repository as it was: before the files are
 * in place, the prepared ones are removed (and a folder the run created, if empty). The renames
 * into place are synchronous, so a signal is handled before them or after the last one.
 */
function holdSignals(draft: PlanDraft, createdTarget: boolean, output: NodeJS.WritableStream): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    commitState.interrupted = true;
    void undoPreparedWrites().finally(() => {
      if (!commitState.written) removeIfEmpty(draft.targetDir, createdTarget);
      output.write(`pyrepo: interrupted (${signal}); ${commitState.written ? 'the files were written, the install steps did not finish' : 'nothing was written'}.\n`);
      process.exit(signalExitCodes[signal] ?? 1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

function removeIfEmpty(dir: string, created: boolean): void {
  if (created && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Run a validated plan draft with Yeoman: compose, write through mem-fs, commit (all or nothing). */
export async function runDraft(draft: PlanDraft, settings: RunSettings): Promise<RunReport> {
  const { createEnv } = await import('yeoman-environment');
  const skippedConflicts: string[] = [];
  const streams = settings.output ? { stdout: settings.output, stderr: settings.output } : {};
  const prompts = settings.yes || !draft.interactive ? { promptModule: nonInteractivePrompts(skippedConflicts) as never } : {};
  const adapter = settings.adapter ?? new QueuedAdapter({ ...streams, ...prompts } as never);
  const createdTarget = !existsSync(draft.targetDir);
  commitState.written = false;
  commitState.interrupted = false;
  const releaseSignals = holdSignals(draft, createdTarget, settings.output ?? process.stderr);
  const env = createEnv({ cwd: draft.targetDir, adapter, force: settings.force, dryRun: settings.dryRun, skipInstall: settings.skipInstall } as never);
  let succeeded = false;
  try {
    const generator = await env.instantiate(PlanGenerator as never, {
      generatorOptions: { pyrepoDraft: draft, destinationRoot: draft.targetDir, skipInstall: settings.skipInstall, yes: settings.yes, dryRun: settings.dryRun },
    } as never);
    await env.runGenerator(generator as never);
    succeeded = true;
  } finally {
    releaseSignals();
    // Yeoman creates the destination folder when a generator starts; take it back if nothing landed in it.
    if (!succeeded || settings.dryRun) removeIfEmpty(draft.targetDir, createdTarget);
  }
  return { skippedConflicts };
}
