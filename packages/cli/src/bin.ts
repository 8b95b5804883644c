#!/usr/bin/env node
import type { main as Main } from './cli.js';
import { loadBundle, type CodePath } from './load-bundle.js';

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
