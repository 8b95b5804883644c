import { Writable } from 'node:stream';
import { QueuedAdapter } from '@yeoman/adapter';
import type { PlanDraft } from './plan.js';
import { PlanGenerator } from './plan-generator.js';

/** Swallows Yeoman's log lines: an in-memory generation shows nothing. */
const silent = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * Run a validated draft into memory: what its generators produce on their own, by path relative to
 * the repository. The draft's target is a folder that does not exist (nothing of the user's is read,
 * nothing is made); it runs as a dry run for the generators (no install step) and writes nothing.
 */
export async function generateInMemory(draft: PlanDraft): Promise<Map<string, Buffer>> {
  const capture = new Map<string, Buffer>();
  const { createEnv } = await import('yeoman-environment');
  const adapter = new QueuedAdapter({ stdout: silent(), stderr: silent() } as never);
  const env = createEnv({ cwd: draft.targetDir, adapter, dryRun: true, skipInstall: true } as never);
  const generator = await env.instantiate(PlanGenerator as never, {
    generatorOptions: { pyrepoDraft: draft, destinationRoot: draft.targetDir, skipInstall: true, yes: true, dryRun: true, pyrepoCapture: capture },
  } as never);
  await env.runGenerator(generator as never);
  return capture;
}
