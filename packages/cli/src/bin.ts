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
// A reader that stopped reading (`pyrepo list | head -1`) is no failure: what is left to print has
// nowhere to go, so it is dropped and the command finishes (a run still writes its files whole).
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed.add(stream);
  });
}
const write = (stream: NodeJS.WriteStream, text: string) => {
  if (!closed.has(stream)) stream.write(text);
};
process.exitCode = await main(process.argv.slice(2), {
  out: text => write(process.stdout, text),
  err: text => write(process.stderr, text),
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  generated: sources => {
    for (const source of sources) taken.add(source === 'built-in' ? 'built-in' : 'team');
  },
});
bundle.saveCodeCache(taken);
