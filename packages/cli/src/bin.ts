#!/usr/bin/env node
import type { main as Main } from './cli.js';
import { loadBundle } from './load-bundle.js';

// The CLI runs from its bundle (scripts/bundle.mjs), compiled with V8's code cache. A script has no
// import() of its own in Node 20 (vm's is experimental and warns): the bundle imports through this one.
(globalThis as Record<symbol, unknown>)[Symbol.for('pyrepo.importModule')] = (url: string) => import(url);
const bundle = loadBundle(new URL('../bundle/pyrepo.cjs', import.meta.url));
const { main } = bundle.exports as { main: typeof Main };
const args = process.argv.slice(2);
process.exitCode = await main(args, {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
});
bundle.saveCodeCache(args[0] === 'new' || args[0] === 'add');
