#!/usr/bin/env node
// pnpm bench: pyrepo's start-up and generation times side by side with cookiecutter, yo and plain
// Node, in one process of measurement, in alternating order; then how generation scales with files
// and with composed generators. Prints tables, checks the targets of docs/performance.md, exits 1
// when one is missed. Options: --runs N (default 20), --warmup N (default 2), --json FILE,
// --out DIR (where the commands write; default /dev/shm when there is one, else the temp folder),
// --group main|scale|existing|records (one table only; the targets of the others are not checked).
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { listFiles, pyrepoBin, repoRoot, templateDir, variables } from './shared.mjs';

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '2' }, json: { type: 'string' }, out: { type: 'string' }, group: { type: 'string' } } });
const runs = Number(flags.runs);
const warmup = Number(flags.warmup);
const benchDir = import.meta.dirname;
const work = join(benchDir, '.work');
const yoBin = join(repoRoot, 'test', 'node_modules', '.bin', 'yo');
// yo refuses to run as root and switches to uid 1000, which must own what it writes.
const asRoot = process.getuid?.() === 0;

for (const [tool, hint] of [['/usr/bin/time', 'apt-get install -y time'], ['cookiecutter', 'apt-get install -y cookiecutter']]) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) fail(`${tool} is missing: ${hint} (or run \`node scripts/ensure-tools.mjs\`).`);
}
if (!existsSync(join(repoRoot, 'packages', 'cli', 'dist', 'bundle', 'pyrepo.cjs'))) fail('the CLI bundle is missing: run `pnpm build` first.');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// Outputs go to memory when the machine has it: a virtual disk's flushes made file creation vary
// from 0.05 to 1 ms a file between runs, which measured the disk, not the tools.
const out = mkdtempSync(join(flags.out ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'pyrepo-bench-'));
if (asRoot) chownSync(out, 1000, 1000);
const trash = join(out, 'trash');
mkdirSync(trash);
const owned = dir => {
  mkdirSync(dir, { recursive: true });
  if (asRoot) chownSync(dir, 1000, 1000);
  return dir;
};
let moved = 0;
// Each run writes into a folder that is not there; the last run's output is moved aside (deleting
// it here would leave the file system busy during the next timed run), and deleted at the end.
const fresh = dir => () => {
  if (existsSync(dir)) renameSync(dir, join(trash, String(moved++)));
};

// yo's sandbox: its own HOME, and NODE_PATH holding the two generators, as `npm link` would.
const yoHome = owned(join(work, 'yo-home'));
const yoPaths = join(work, 'yo-paths');
mkdirSync(yoPaths);
symlinkSync(join(repoRoot, 'packages', 'generator-pyrepo'), join(yoPaths, 'generator-pyrepo'));
symlinkSync(join(benchDir, 'fixtures', 'generator-benchtrivial'), join(yoPaths, 'generator-benchtrivial'));
const yoEnv = { ...process.env, HOME: yoHome, NODE_PATH: yoPaths, NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0' };
const yoTarget = join(out, 'yo-target');
const freshYoTarget = () => {
  fresh(yoTarget)();
  owned(yoTarget);
};

// Presets for the scaling runs: one generator writing N files; N generators writing one file each.
const filesGenerator = join(benchDir, 'fixtures', 'files-generator');
const presetFile = (name, generators) => {
  const file = join(work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, description: `Bench: ${name}`, generators }));
  return file;
};
// The copies sit side by side in one node_modules, with the @pyrepo/core they import beside
// them, as `npm install` lays out a team's packages.
const installed = join(work, 'node_modules');
mkdirSync(join(installed, '@pyrepo'), { recursive: true });
symlinkSync(join(repoRoot, 'packages', 'core'), join(installed, '@pyrepo', 'core'));
const copies = Array.from({ length: 50 }, (_, index) => {
  const name = `pyrepo-generator-bench-g${String(index).padStart(2, '0')}`;
  const dir = join(installed, name);
  cpSync(filesGenerator, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, name }));
  return dir;
});

const node = process.execPath;
// pyrepo's compiled-code cache (packages/cli/src/load-bundle.ts) lives with the bench; warm-up runs fill it.
const pyrepoEnv = { ...process.env, PYREPO_CACHE_DIR: join(work, 'code-cache') };
// --trust: the scaling presets compose generators from the bench's own folders (no question asked).
const pyrepoNew = (preset, target) => [node, pyrepoBin, 'new', preset, target, '--yes', '--skip-install', '--trust'];
const commands = {
  node: { label: "node -e ''", argv: [node, '-e', ''] },
  floor: { label: 'plain Node script, same files (floor)', argv: [node, join(benchDir, 'floor.mjs'), join(out, 'floor')], prepare: fresh(join(out, 'floor')) },
  cookiecutter: {
    label: 'cookiecutter, same files',
    argv: ['cookiecutter', '--no-input', '--output-dir', join(out, 'cookiecutter'), templateDir],
    prepare: fresh(join(out, 'cookiecutter')),
  },
  pyrepoNew: { label: 'pyrepo new wpmedia-django', argv: pyrepoNew('wpmedia-django', join(out, 'pyrepo', variables.name)), prepare: fresh(join(out, 'pyrepo')) },
  pyrepoList: { label: 'pyrepo list', argv: [node, pyrepoBin, 'list'] },
  pyrepoHelp: { label: 'pyrepo --help', argv: [node, pyrepoBin, '--help'] },
  yoTrivial: { label: 'yo benchtrivial (one file)', argv: [yoBin, 'benchtrivial', '--skip-install'], cwd: yoTarget, env: yoEnv, prepare: freshYoTarget },
  yoPyrepo: { label: 'yo pyrepo:wpmedia-django', argv: [yoBin, 'pyrepo:wpmedia-django', '--yes', '--skip-install'], cwd: yoTarget, env: yoEnv, prepare: freshYoTarget },
};
const scaling = {
  files13: { label: '1 generator, 13 files', argv: pyrepoNew(presetFile('files-13', [[filesGenerator, { count: 13 }]]), join(out, 'scale')) },
  files130: { label: '1 generator, 130 files', argv: pyrepoNew(presetFile('files-130', [[filesGenerator, { count: 130 }]]), join(out, 'scale')) },
  files1300: { label: '1 generator, 1,300 files', argv: pyrepoNew(presetFile('files-1300', [[filesGenerator, { count: 1300 }]]), join(out, 'scale')) },
  generators1: { label: '1 generator, 1 file', argv: pyrepoNew(presetFile('generators-1', copies.slice(0, 1).map(dir => [dir, { count: 1 }])), join(out, 'scale')) },
  generators10: { label: '10 generators, 1 file each', argv: pyrepoNew(presetFile('generators-10', copies.slice(0, 10).map(dir => [dir, { count: 1 }])), join(out, 'scale')) },
  generators50: { label: '50 generators, 1 file each', argv: pyrepoNew(presetFile('generators-50', copies.map(dir => [dir, { count: 1 }])), join(out, 'scale')) },
};
for (const command of Object.values(scaling)) command.prepare = fresh(join(out, 'scale'));

// `pyrepo add` into a repository pyrepo did not write: the same Django project alone (10 files) and
// among 10,000 files (its project model reads only what it needs, so the second may cost little more).
const existingApp = (name, extraFiles) => {
  const dir = join(out, name);
  const files = {
    'manage.py': 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n',
    'site_app/__init__.py': '',
    'site_app/settings.py': 'from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\nWSGI_APPLICATION = "site_app.wsgi.application"\nSTATIC_URL = "static/"\nSTATIC_ROOT = BASE_DIR / "collected"\n',
    'site_app/wsgi.py': 'import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\napplication = get_wsgi_application()\n',
    'site_app/urls.py': 'urlpatterns = []\n',
    'requirements.txt': 'Django>=4.2\n',
    'README.md': '# site\n',
    '.gitignore': '__pycache__/\n',
    'setup.cfg': '[flake8]\nmax-line-length = 100\n',
    'tests/test_site.py': 'def test_nothing():\n    pass\n',
  };
  for (let index = 0; index < extraFiles; index++) files[`site_app/part${Math.floor(index / 100)}/module_${index % 100}.py`] = `VALUE = ${index}\n`;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (let part = 0; part < extraFiles / 100; part++) writeFileSync(join(dir, 'site_app', `part${part}`, '__init__.py'), '');
  return {
    argv: [node, pyrepoBin, 'add', 'uwsgi', '--yes', '--install', 'system', '--dir', dir],
    prepare: () => ['uwsgi.ini', '.yo-rc.json'].forEach(file => rmSync(join(dir, file), { force: true })),
  };
};
const existing = {
  existing10: { label: 'pyrepo add uwsgi, Django repository of 10 files', ...existingApp('existing-10', 0) },
  existing10k: { label: 'pyrepo add uwsgi, the same among 10,000 files', ...existingApp('existing-10k', 9990) },
};

// `pyrepo check` and `pyrepo update` (to the same versions: every file unchanged, the records
// rewritten) in a repository `pyrepo new` wrote, beside that `new`: wpmedia-django, and one
// generator writing 1,300 files (its preset installed as a package, as a repository names it).
const recordsPreset = join(work, 'node_modules', 'pyrepo-preset-files-1300');
mkdirSync(recordsPreset, { recursive: true });
writeFileSync(join(recordsPreset, 'package.json'), JSON.stringify({ name: 'pyrepo-preset-files-1300', version: '1.0.0', pyrepo: { kind: 'preset' }, exports: { './preset.json': './preset.json', './package.json': './package.json' } }));
writeFileSync(join(recordsPreset, 'preset.json'), JSON.stringify({ name: 'files-1300', description: 'Bench: files-1300', generators: [[filesGenerator, { count: 1300 }]] }));
const recordsRepository = (preset, name) => {
  const dir = join(out, name);
  const made = spawnSync(node, [pyrepoBin, 'new', preset, dir, '--yes', '--skip-install', '--trust'], { cwd: work, env: pyrepoEnv, encoding: 'utf8' });
  if (made.status !== 0) fail(`pyrepo new ${preset} (for the records group) failed:\n${made.stderr}`);
  return dir;
};
const recordsCommands = () => {
  const django = recordsRepository('wpmedia-django', join('records', variables.name));
  const files = recordsRepository('files-1300', 'records-1300');
  const inWork = argv => ({ argv, cwd: work });
  return {
    djangoNew: { label: 'pyrepo new wpmedia-django', argv: pyrepoNew('wpmedia-django', join(out, 'records-new', variables.name)), prepare: fresh(join(out, 'records-new')) },
    djangoCheck: { label: 'pyrepo check, wpmedia-django', ...inWork([node, pyrepoBin, 'check', '--dir', django]) },
    djangoUpdate: { label: 'pyrepo update, wpmedia-django', ...inWork([node, pyrepoBin, 'update', '--yes', '--dir', django]) },
    filesNew: { label: 'pyrepo new, 1,300 files', ...inWork(pyrepoNew('files-1300', join(out, 'records-new-1300'))), prepare: fresh(join(out, 'records-new-1300')) },
    filesCheck: { label: 'pyrepo check, 1,300 files', ...inWork([node, pyrepoBin, 'check', '--trust', '--dir', files]) },
    filesUpdate: { label: 'pyrepo update, 1,300 files', ...inWork([node, pyrepoBin, 'update', '--yes', '--trust', '--dir', files]) },
  };
};

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** One timed run: wall time around the process, peak RSS from GNU time. */
function runOnce(command) {
  command.prepare?.();
  const rssFile = join(work, 'rss');
  const started = process.hrtime.bigint();
  // From the outputs' folder, as a user runs pyrepo from a folder of their own (not from pyrepo's repository).
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...command.argv], { cwd: command.cwd ?? out, env: command.env ?? pyrepoEnv, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) fail(`${command.label} failed (exit ${result.status}):\n${result.stderr}`);
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 };
}

/** Runs every command `runs` times, rotating the order each round so no command always goes first. */
function measure(group) {
  const entries = Object.entries(group);
  const samples = Object.fromEntries(entries.map(([key]) => [key, []]));
  for (let round = 0; round < warmup + runs; round++) {
    const order = entries.map((_, index) => entries[(index + round) % entries.length]);
    for (const [key, command] of order) {
      const sample = runOnce(command);
      if (round >= warmup) samples[key].push(sample);
    }
  }
  return Object.fromEntries(entries.map(([key, command]) => [key, summarize(command.label, samples[key])]));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarize(label, samples) {
  const times = samples.map(s => s.ms);
  return { label, median: median(times), min: Math.min(...times), max: Math.max(...times), rssMb: median(samples.map(s => s.rssMb)), runs: samples.length };
}

function table(results) {
  const rows = Object.values(results).map(r => [r.label, `${r.median.toFixed(0)} ms`, `${r.min.toFixed(0)}-${r.max.toFixed(0)} ms`, `${r.rssMb.toFixed(0)} MB`]);
  const header = ['command', 'median', 'min-max', 'peak RSS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(row => row[i].length)));
  const line = cells => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => `${i === 0 ? ':' : ''}${'-'.repeat(w + 1)}${i === 0 ? '' : ':'}`).join('|')}|`, ...rows.map(line)].join('\n');
}

// The three ways of writing the wpmedia-django files must write the same files, or the comparison is void.
for (const key of ['floor', 'cookiecutter', 'pyrepoNew']) runOnce(commands[key]);
const expected = listFiles(join(templateDir, '{{cookiecutter.name}}')).map(file => file.replaceAll('{{cookiecutter.package}}', variables.package)).sort();
for (const [key, dir] of [['floor', join(out, 'floor')], ['cookiecutter', join(out, 'cookiecutter', variables.name)], ['pyrepoNew', join(out, 'pyrepo', variables.name)]]) {
  const written = listFiles(dir);
  if (JSON.stringify(written) !== JSON.stringify(expected)) {
    fail(`${commands[key].label} wrote other files than the template holds (${written.length} vs ${expected.length}): run \`node test/bench/make-template.mjs\` after changing the preset.`);
  }
}

const machine = `${cpus().length} x ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}, ${runs} runs (+${warmup} warm-up) each`;
console.log(`pyrepo bench: ${machine}\n`);
const wanted = group => flags.group === undefined || flags.group === group;
const main = wanted('main') ? measure(commands) : undefined;
if (main) console.log(`${table(main)}\n`);
const scale = wanted('scale') ? measure(scaling) : undefined;
if (scale) console.log(`${table(scale)}\n`);
const inExisting = wanted('existing') ? measure(existing) : undefined;
if (inExisting) console.log(`${table(inExisting)}\n`);
const records = wanted('records') ? measure(recordsCommands()) : undefined;
if (records) console.log(`${table(records)}\n`);

const ratio = (a, b) => a / b;
const targets = [
  ...(main
    ? [
        ['pyrepo new / cookiecutter', ratio(main.pyrepoNew.median, main.cookiecutter.median), '<= 1.0', v => v <= 1],
        ['pyrepo new / floor', ratio(main.pyrepoNew.median, main.floor.median), '< 3.0', v => v < 3],
        ['yo pyrepo:wpmedia-django / yo trivial', ratio(main.yoPyrepo.median, main.yoTrivial.median), '<= 1.15', v => v <= 1.15],
        ['pyrepo new peak RSS (MB)', main.pyrepoNew.rssMb, '< 90', v => v < 90],
        ['pyrepo list / floor', ratio(main.pyrepoList.median, main.floor.median), '< 2.0', v => v < 2],
        ['pyrepo --help / floor', ratio(main.pyrepoHelp.median, main.floor.median), '< 2.0', v => v < 2],
      ]
    : []),
  ...(scale
    ? [
        ['1,300 files (ms)', scale.files1300.median, '< 1500', v => v < 1500],
        ['50 generators - 1 generator (ms)', scale.generators50.median - scale.generators1.median, '< 150', v => v < 150],
      ]
    : []),
  ...(inExisting ? [['add into 10,000 files / into 10 files', ratio(inExisting.existing10k.median, inExisting.existing10.median), '<= 1.3', v => v <= 1.3]] : []),
  ...(records
    ? [
        ['check / new, wpmedia-django', ratio(records.djangoCheck.median, records.djangoNew.median), '<= 1.5', v => v <= 1.5],
        ['update / new, wpmedia-django', ratio(records.djangoUpdate.median, records.djangoNew.median), '<= 2.0', v => v <= 2],
        ['check / new, 1,300 files', ratio(records.filesCheck.median, records.filesNew.median), '<= 1.5', v => v <= 1.5],
        ['update / new, 1,300 files', ratio(records.filesUpdate.median, records.filesNew.median), '<= 2.0', v => v <= 2],
      ]
    : []),
].map(([name, value, target, met]) => ({ name, value, target, met: met(value) }));
const width = Math.max(...targets.map(t => t.name.length));
for (const t of targets) console.log(`${t.met ? 'ok  ' : 'MISS'} ${t.name.padEnd(width)}  ${t.value.toFixed(3).padStart(9)}  (target ${t.target})`);
if (flags.json) writeFileSync(flags.json, `${JSON.stringify({ machine, main, scale, existing: inExisting, records, targets }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
process.exitCode = targets.every(t => t.met) ? 0 : 1;
