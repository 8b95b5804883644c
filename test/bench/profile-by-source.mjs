// Where a run's time goes, by source file: self time of CPU profiles (node --cpu-prof), the
// bundle's frames mapped to their sources through its source map (node scripts/bundle.mjs
// --sourcemap). With two folders of profiles, the difference B - A: what a change of workload
// adds (e.g. 50 generators against 1). Means over the profiles of each folder.
//
//   node test/bench/profile-by-source.mjs [--packages] [--functions] [--top N] DIR_A [DIR_B]
import { readFileSync, readdirSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags, positionals: dirs } = parseArgs({
  allowPositionals: true,
  options: { packages: { type: 'boolean' }, functions: { type: 'boolean' }, top: { type: 'string', default: '30' } },
});
if (dirs.length === 0 || dirs.length > 2) {
  console.error('usage: profile-by-source.mjs [--packages] [--functions] [--top N] DIR_A [DIR_B]');
  process.exit(2);
}
const bundle = fileURLToPath(new URL('../../packages/cli/dist/bundle/pyrepo.cjs', import.meta.url));
let map;
try {
  map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
} catch {
  console.error(`no ${bundle}.map: build it with node scripts/bundle.mjs --sourcemap`);
  process.exit(2);
}

/** A source path without pnpm's store prefix; with --packages, only its package. */
function shortSource(path) {
  const short = path.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^(\.\.\/)+/, '').replace(/.*\/node_modules\//, '');
  return flags.packages ? short.replace(/^((@[^/]+\/)?[^/]+).*/, '$1') : short;
}

function frameKey({ url, lineNumber, columnNumber, functionName }) {
  let key;
  if (url === bundle || url.endsWith('/pyrepo.cjs')) key = shortSource(map.findEntry(lineNumber, columnNumber).originalSource ?? '(bundle)');
  else if (url === '') key = `(native) ${functionName}`;
  else key = url.startsWith('node:') ? url : shortSource(url);
  return flags.functions && url !== '' ? `${key} ${functionName || '(anonymous)'}` : key;
}

/** Mean self milliseconds by key over the profiles in a folder. */
function selfTimes(dir) {
  const files = readdirSync(dir).filter(name => name.endsWith('.cpuprofile'));
  const times = new Map();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const keys = new Map(profile.nodes.map(node => [node.id, frameKey(node.callFrame)]));
    profile.samples.forEach((id, index) => {
      const key = keys.get(id);
      times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000 / files.length);
    });
  }
  return times;
}

const [a, b = new Map()] = dirs.map(selfTimes);
const compare = dirs.length === 2;
const rows = [...new Set([...a.keys(), ...b.keys()])].map(key => ({ key, a: a.get(key) ?? 0, b: b.get(key) ?? 0 }));
const weight = row => (compare ? row.b - row.a : row.a);
rows.sort((x, y) => weight(y) - weight(x));
const total = rows.reduce((sum, row) => sum + weight(row), 0);
console.log(compare ? `B - A: ${total.toFixed(1)} ms (mean self time; A ms in the second column)` : `${total.toFixed(1)} ms (mean self time)`);
for (const row of rows.slice(0, Number(flags.top))) console.log(`${weight(row).toFixed(2).padStart(8)}${compare ? row.a.toFixed(2).padStart(8) : ''}  ${row.key}`);
