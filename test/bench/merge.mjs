#!/usr/bin/env node
// node test/bench/merge.mjs (after `pnpm build`): how long core's three-way merge (pyrepo update's
// per-file step) takes per file, by strategy, on typical sizes; and a 1,300-file update where
// most files take a shortcut. Prints the median of many runs; no target is checked (timings are
// noisy: a measurement, not an assertion).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './shared.mjs';

const { mergeThreeWay } = await import(pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'src', 'index.js')).href);
const labels = { yours: 'yours', base: 'pyrepo 1.2.0', theirs: 'pyrepo 1.3.0' };
const text = lines => lines.map(line => `${line}\n`).join('');
const range = (count, line) => Array.from({ length: count }, (_, index) => line(index));
// Every tenth line edited on one side, every tenth (shifted by five) on the other: clean merges.
const edit = (lines, phase, mark) => lines.map((line, index) => (index % 10 === phase ? `${line} ${mark}` : line));

const configLines = range(200, index => (index % 7 === 0 ? '' : `option_${index} = value ${index}`));
const requirementLines = range(60, index => (index % 15 === 0 ? `# group ${index}` : `package-${index}==1.${index}`));
const ignoreLines = range(80, index => (index % 10 === 0 ? `# section ${index}` : `pattern-${index}/`));
const readmeLines = range(20, index => [`<!-- pyrepo:begin s${index} -->`, `## Section ${index}`, '', ...range(6, line => `Text ${index}.${line}`), `<!-- pyrepo:end s${index} -->`]).flat();
const tomlLines = range(25, index => [`[tool.t${index}]`, `# about ${index}`, ...range(6, key => `k${key} = ${index * 10 + key}`), '']).flat();
const inlineDependencies = dependencies => ['[project]', 'name = "app"', `dependencies = [${dependencies.map(name => `"${name}"`).join(', ')}]`, ''];
const bump = (lines, phase) => lines.map((line, index) => (index % 10 === phase ? line.replace(/==1\./, '==2.') : line));
const tomlEdit = (lines, phase) => lines.map((line, index) => (index % 10 === phase && /^k\d = /.test(line) ? line.replace(/= (\d+)/, '= 9$1') : line));

const cases = [
  ['lines: 200-line file, both sides changed', 'uwsgi.ini', configLines, edit(configLines, 1, 'mine'), edit(configLines, 6, 'new')],
  ['requirements: 60 lines, bumps and your edits', 'requirements.txt', requirementLines, [...bump(requirementLines, 1), 'mine==1'], bump(requirementLines, 6)],
  ['ignore: 80 lines, both sides', '.gitignore', ignoreLines, [...ignoreLines.filter((_, index) => index % 9 !== 4), 'mine/'], [...ignoreLines, 'new/']],
  ['readme-sections: 200 lines, 20 sections', 'README.md', readmeLines, edit(readmeLines, 4, 'mine'), edit(readmeLines, 8, 'new')],
  ['toml: 200 lines, keys changed on both sides', 'pyproject.toml', tomlLines, tomlEdit(tomlLines, 3), tomlEdit(tomlLines, 6)],
  ['toml: 200 lines, adjacent keys', 'pyproject.toml', tomlLines, tomlEdit(tomlLines, 3), tomlEdit(tomlLines, 4)],
  ['toml: one-line array both changed (toml-patch)', 'pyproject.toml', [...inlineDependencies(['django==5.2', 'uwsgi']), ...tomlLines], [...inlineDependencies(['django==5.2', 'uwsgi', 'requests']), ...tomlLines], [...inlineDependencies(['django==6.0', 'uwsgi']), ...tomlLines]],
  ['toml: 200 lines, keys in conflict (markers)', 'pyproject.toml', tomlLines, tomlEdit(tomlLines, 3), tomlLines.map((line, index) => (index % 10 === 3 && /^k\d = /.test(line) ? line.replace(/= (\d+)/, '= 7$1') : line))],
  ['shortcut: 200 lines, only theirs changed', 'uwsgi.ini', configLines, configLines, edit(configLines, 6, 'new')],
];

function median(run, rounds) {
  for (let index = 0; index < 5; index++) run();
  const times = [];
  for (let index = 0; index < rounds; index++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

console.log('merge per file (median ms)');
for (const [name, path, base, yours, theirs] of cases) {
  const input = { path, base: text(base), yours: text(yours), theirs: text(theirs), labels };
  const result = mergeThreeWay(input);
  const rounds = result.conflicts > 0 || name.includes('toml-patch') ? 20 : 200;
  console.log(`  ${name.padEnd(48)} ${median(() => mergeThreeWay(input), rounds).toFixed(3).padStart(8)}  (${result.outcome}, ${result.conflicts} conflicts)`);
}

// 1,300 files: 1,250 unchanged or fast-forward, 50 merged line by line.
const files = range(1300, index => {
  const base = text(range(40, line => `file ${index} line ${line}`));
  if (index % 26 === 0) return { path: `src/f${index}.py`, base, yours: text(edit(range(40, line => `file ${index} line ${line}`), 1, 'mine')), theirs: text(edit(range(40, line => `file ${index} line ${line}`), 6, 'new')), labels };
  return { path: `src/f${index}.py`, base, yours: base, theirs: index % 2 ? base : `${base}# new\n`, labels };
});
console.log(`  ${'1,300 files of 40 lines (50 merged)'.padEnd(48)} ${median(() => files.forEach(file => mergeThreeWay(file)), 20).toFixed(3).padStart(8)}`);
