// The mutation check (run on demand, not in CI; see docs/testing.md): break the product in named
// ways, one at a time, and show that the tests of what broke go red on each. A suite that stays
// green on a mutation has a hole. Each mutation is an exact text replacement in one file of the
// working tree: the file's contents are kept in memory and written back after the run (also on
// Ctrl-C), and the script refuses files with uncommitted changes, so `git stash` and your edits
// are never at risk. Run after `npx pnpm build`:
//
//   node scripts/mutate.mjs                 every mutation, with a baseline run first
//   node scripts/mutate.mjs uwsgi-die-on-term systemd-no-new-privileges   some of them
//   node scripts/mutate.mjs --no-baseline   skip the check that the tests pass unmutated
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * name, what it breaks, the file and the exact text replaced (found exactly once), the compiled
 * test files that must go red, and what must be rebuilt for the tests to see the change:
 * templates are read at run time; core's code is compiled (tsc); the CLI runs a bundle (build).
 */
const mutations = [
  {
    name: 'uwsgi-die-on-term',
    breaks: 'the uWSGI template loses die-on-term (SIGTERM reloads instead of stopping)',
    file: 'packages/generators/uwsgi/templates/uwsgi.ini.ejs',
    from: 'die-on-term = true\n',
    to: '',
    tests: 'packages/generators/uwsgi/dist/test/uwsgi.test.js',
    rebuild: 'none',
  },
  {
    name: 'systemd-no-new-privileges',
    breaks: 'the systemd unit loses NoNewPrivileges=yes',
    file: 'packages/generators/systemd/templates/deploy/__name__.service.ejs',
    from: 'NoNewPrivileges=yes\n',
    to: '',
    tests: 'packages/generators/systemd/dist/test/systemd.test.js',
    rebuild: 'none',
  },
  {
    name: 'docker-prod-runs-as-root',
    breaks: 'the production image loses its USER line (runs as root)',
    file: 'packages/generators/docker-prod/templates/docker/app/Dockerfile.ejs',
    from: 'USER <%= project.appUser %>\n',
    to: '',
    tests: 'packages/generators/docker-prod/dist/test/docker-prod.test.js',
    rebuild: 'none',
  },
  {
    name: 'compose-every-interface',
    breaks: 'the compose file publishes the port on every interface without saying so',
    file: 'packages/generators/docker-dev/templates/docker-compose.yaml.ejs',
    from: '      - "<%= options.hostAddress %>:<%= project.port %>',
    to: '      - "<%= project.port %>',
    tests: 'packages/generators/docker-dev/dist/test/docker-dev.test.js',
    rebuild: 'none',
  },
  {
    name: 'vendor-without-set-eu',
    breaks: 'scripts/vendor.sh loses set -eu (a failed step goes on)',
    file: 'packages/generators/vendor/templates/scripts/vendor.sh.ejs',
    from: 'set -eu\n',
    to: '',
    tests: 'packages/generators/vendor/dist/test/vendor.test.js',
    rebuild: 'none',
  },
  {
    name: 'deploy-accepts-any-archive-name',
    breaks: 'scripts/deploy.sh stops checking the archive name (shell words reach ssh)',
    file: 'packages/generators/deploy/templates/scripts/deploy.sh.ejs',
    from: "'' | -* | .* | *[!A-Za-z0-9._+-]*)",
    to: "'')",
    tests: 'packages/generators/deploy/dist/test/deploy.test.js',
    rebuild: 'none',
  },
  {
    name: 'django-default-secret-key',
    breaks: 'Django\'s production settings fall back to a built-in secret key',
    file: 'packages/generators/django/templates/__package__/settings/prod.py.ejs',
    from: 'SECRET_KEY = required("DJANGO_SECRET_KEY")',
    to: 'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-default")',
    tests: 'packages/generators/django/dist/test/django.test.js',
    rebuild: 'none',
  },
  {
    name: 'detect-ignores-requirements',
    breaks: "the project model no longer reads the framework from production's requirements",
    file: 'packages/core/src/project-model.ts',
    from: 'if (requirements.frameworks.length === 1) {',
    to: 'if (false) {',
    tests: 'packages/core/dist/test/project-model.test.js',
    rebuild: 'tsc',
  },
  {
    name: 'venv-ignores-pip-conf',
    breaks: 'the venv install step ignores the project\'s pip.conf (its index and proxy)',
    file: 'packages/generators/venv/src/index.ts',
    from: 'existsSync(pipConf) ? { PIP_CONFIG_FILE: pipConf } : {}',
    to: '{}',
    tests: 'packages/generators/pip-config/dist/test/pip-config.test.js',
    rebuild: 'tsc',
  },
  {
    name: 'commit-writes-outside',
    breaks: 'the commit no longer refuses paths outside the repository (symlinked folders)',
    file: 'packages/core/src/commit.ts',
    from: "lexical.startsWith('..') || isAbsolute(lexical) || real.startsWith('..') || isAbsolute(real)",
    to: "lexical.startsWith('..') || isAbsolute(lexical)",
    tests: 'test/dist/safety.test.js',
    rebuild: 'build',
  },
];

const args = process.argv.slice(2);
const baseline = !args.includes('--no-baseline');
const names = args.filter(arg => !arg.startsWith('--'));
const unknown = names.filter(name => !mutations.some(mutation => mutation.name === name));
if (unknown.length > 0) {
  console.error(`Unknown mutation(s): ${unknown.join(', ')}. Known: ${mutations.map(mutation => mutation.name).join(', ')}`);
  process.exit(2);
}
const chosen = names.length > 0 ? mutations.filter(mutation => names.includes(mutation.name)) : mutations;

const dirty = chosen.filter(mutation => execFileSync('git', ['status', '--porcelain', '--', mutation.file], { cwd: root, encoding: 'utf8' }).trim() !== '');
if (dirty.length > 0) {
  console.error(`Uncommitted changes in ${dirty.map(mutation => mutation.file).join(', ')}: commit or stash them first (the script writes these files back as it found them).`);
  process.exit(2);
}

/** Rebuild what the tests read: nothing, the TypeScript projects, or everything (the CLI bundle too). */
function rebuild(kind) {
  if (kind === 'none') return;
  const [command, commandArgs] = kind === 'tsc' ? ['npx', ['tsc', '-b']] : ['npx', ['pnpm', 'build']];
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/** Run compiled test files with the workspace's uvu: the exit code and the names of the failed tests. */
function runTests(pattern) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'uvu', 'bin.js'), '.', pattern], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 << 20 });
  const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  return { code: result.status, failed: [...output.matchAll(/FAIL +"(.+)"/g)].map(match => match[1]), output };
}

const patternOf = files => `(${files.map(file => file.replace(/[.]/g, '[.]')).join('|')})$`;

let restore = () => {};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

if (baseline) {
  const files = [...new Set(chosen.map(mutation => mutation.tests))];
  console.log(`baseline: ${files.length} test file(s), unmutated`);
  const result = runTests(patternOf(files));
  if (result.code !== 0) {
    console.error(`The tests fail without any mutation (${result.failed.join('; ') || `exit ${result.code}`}): fix them first.\n${result.output}`);
    process.exit(1);
  }
}

const rows = [];
for (const mutation of chosen) {
  const path = join(root, mutation.file);
  const original = readFileSync(path, 'utf8');
  const found = original.split(mutation.from).length - 1;
  if (found !== 1) {
    rows.push({ ...mutation, verdict: `NOT APPLIED (the text is found ${found} times: update the mutation)` });
    continue;
  }
  restore = () => writeFileSync(path, original);
  try {
    writeFileSync(path, original.replace(mutation.from, mutation.to));
    rebuild(mutation.rebuild);
    const result = runTests(patternOf([mutation.tests]));
    rows.push({ ...mutation, verdict: result.code === 0 ? 'GREEN: the tests missed it' : `red: ${result.failed.length > 0 ? result.failed.join('; ') : `exit ${result.code}`}` });
  } finally {
    restore();
    restore = () => {};
  }
  console.log(`${mutation.name}: ${rows.at(-1).verdict}`);
}
rebuild(chosen.some(mutation => mutation.rebuild === 'build') ? 'build' : chosen.some(mutation => mutation.rebuild === 'tsc') ? 'tsc' : 'none');

console.log('\n| mutation | what it breaks | tests run | result |\n| --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.name} | ${row.breaks} | ${row.tests} | ${row.verdict} |`);
process.exit(rows.every(row => row.verdict.startsWith('red')) ? 0 : 1);
