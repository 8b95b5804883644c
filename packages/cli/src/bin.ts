#!/usr/bin/env node
import type { main as Main } from './cli.js';
import { loadBundle, type CodePath } from './load-bundle.js';

// An error a generator raises outside its steps (a timer, a promise nobody awaits) ends the run as a
// failure, in words; a run under way cleans up and says what was written as the process exits.
const failOutside = (error: unknown) => {
  const debug = process.argv.includes('--debug');
  process.stderr.write(`pyrepo: generation failed: ${error instanceof Error ? error.message : String(error)}\n${debug && error instanceof Error ? `${error.stack}\n` : '(run with --debug for the stack trace)\n'}`);
  process.exit(1);
};
process.on('uncaughtException', failOutside);
process.on('unhandledRejection', failOutside);

// The CLI runs from its bundle (scripts/bundle.mjs), compiled with V8's code cache.
const bundle = loadBundle(new URL('../bundle/pyrepo.cjs', import.meta.url));
const { main } = bundle.exports as { main: typeof Main };
const taken = new Set<CodePath>();
process.exitCode = await main(process.argv.slice(2), {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  generated: sources => {
    for (const source of sources) taken.add(source === 'built-in' ? 'built-in' : 'team');
  },
});
bundle.saveCodeCache(taken);
