import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, fixtures, folderState, pyrepo, repoRoot, tempFolders, workspaceTempDir } from './helpers/cli.js';
import { runInTerminal } from './helpers/terminal.js';

const folders = tempFolders('pyrepo-cli-');
const work = folders.make;
test.after(folders.cleanup);

test('--help works on every command and lists the flags derived from the schemas', () => {
  const dir = work();
  for (const args of [['--help'], ['new', '--help'], ['add', '--help'], ['init', '--help'], ['list', '--help'], ['info', '--help']]) {
    const result = pyrepo(args, dir);
    assert.is(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stdout, /pyrepo/);
    assert.match(result.stdout, /Exit codes: 0 done; 1 generation failed \(nothing written\); 2 bad usage[\s\S]*130 interrupted[\s\S]*143 terminated/);
  }
  const newHelp = pyrepo(['new', '--help'], dir).stdout;
  for (const flag of ['--yes', '--answers', '--dry-run', '--force', '--skip-install', '--name', '--package', '--python', '--framework', '--layout', '--venv-dir', '--app-user', '--port']) {
    assert.ok(newHelp.includes(flag), `new --help mentions ${flag}`);
  }
  assert.match(pyrepo(['add', '--help'], dir).stdout, /--dir/);
  const presetHelp = pyrepo(['new', 'wpmedia-django', '--help'], dir).stdout;
  assert.match(presetHelp, /Options of generator pyproject:/);
  assert.match(presetHelp, /--line-length .*Maximum line length/);
  assert.match(pyrepo(['--version'], dir).stdout, /^\d+\.\d+\.\d+/);
  const none = pyrepo([], dir);
  assert.is(none.code, 2);
  assert.match(none.stderr, /Give a command: new, add, init, list or info/);
});

test('list shows every preset and generator with its source; --json is machine-readable', () => {
  const dir = work();
  const text = pyrepo(['list'], dir);
  assert.is(text.code, 0);
  assert.match(text.stdout, /Presets:\n  docker-wheels +pypackage-docker[\s\S]*\n  flask-vendored +A Flask app[\s\S]*\n  wpmedia-django +WP Media's repository preparation/);
  assert.match(text.stdout, /\(built-in @pyrepo\/preset-wpmedia-django@0\.1\.0\)/);
  assert.match(text.stdout, /Generators:\n  deploy +/);
  const rows = JSON.parse(pyrepo(['list', '--json'], dir).stdout) as Array<{ kind: string; name: string; source: { type: string } }>;
  const listed = rows.map(row => `${row.kind}:${row.name}:${row.source.type}`);
  for (const preset of ['docker-wheels', 'fastapi-shiv', 'flask-vendored', 'venv-systemd', 'wpmedia-django']) assert.ok(listed.includes(`preset:${preset}:built-in`), preset);
  for (const generator of ['deploy', 'django', 'docker-dev', 'docker-prod', 'fastapi', 'flask', 'jenkins', 'pip-config', 'pyproject', 'repo', 'requirements', 'setuptools', 'shiv', 'supervisor', 'systemd', 'tornado', 'uwsgi', 'vendor', 'venv', 'wheelhouse']) {
    assert.ok(listed.includes(`generator:${generator}:built-in`), generator);
  }
  assert.is(listed.length, 25);
});

test('info describes a preset (generators, options it sets) and a generator (its options)', () => {
  const dir = work();
  const preset = pyrepo(['info', 'wpmedia-django'], dir);
  assert.is(preset.code, 0);
  assert.match(preset.stdout, /wpmedia-django \(preset, built-in @pyrepo\/preset-wpmedia-django@0\.1\.0\)/);
  assert.match(preset.stdout, /project facts: framework=django layout=layered/);
  assert.match(preset.stdout, /pyproject: .*\n +preset sets: tools=pytest,ruff,coverage/);
  const generator = pyrepo(['info', 'pyproject'], dir);
  assert.match(generator.stdout, /--line-length  Maximum line length for ruff's linter and formatter\. Accepts an integer from 60 to 200\. \[default: 88\]/);
  const json = JSON.parse(pyrepo(['info', 'requirements', '--json'], dir).stdout) as { schema: { properties: object } };
  assert.equal(Object.keys(json.schema.properties), ['base', 'ci', 'dev', 'prod', 'hashes']);
  const unknown = pyrepo(['info', 'pyprojet'], dir);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown preset or generator "pyprojet"\. Did you mean "pyproject"\?/);
});

test('new --dry-run prints the plan and writes nothing, not even the folder', () => {
  const dir = work();
  const result = pyrepo(['new', 'wpmedia-django', 'blog', '--dry-run', '--yes', '--python', '3.13'], dir);
  assert.not.match(result.stderr, /initialized a git repository|venv: (could not|\S+ holds)/, 'no install step, no git init');
  assert.match(result.stderr, /info venv: would create the virtual environment \.venv with Python \S+ \(\S+\): \S+ -I -m venv \.venv$/m, 'the steps the run would take are named, with the interpreter the run would use');
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /Plan: preset wpmedia-django into .*\/blog\n  project: name=blog package=blog python=3\.13 framework=django layout=layered/);
  assert.match(result.stdout, /4\. pyproject  tools=pytest,ruff,coverage lineLength=88\n/);
  assert.match(result.stderr, /create requirements\/base\.txt/);
  assert.is(folderState(join(dir, 'blog')), 'absent');
});

test('new, then answers file and command line: the command line wins; a re-run is identical', () => {
  const dir = work();
  // Options nested under a generator's name, from the file and from the command line (dotted flags).
  writeFileSync(join(dir, 'answers.json'), JSON.stringify({ name: 'from-answers', python: '3.11', pyproject: { 'line-length': 100 }, 'docker-dev': { 'host-address': '0.0.0.0' } }));
  const result = pyrepo(['new', 'wpmedia-django', 'shop', '--answers', 'answers.json', '--python', '3.13', '--docker-prod.server-command=uwsgi', '--docker-prod.server-command=--ini', '--docker-prod.server-command=uwsgi.ini', '--yes', '--skip-install'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /Done: .*\/shop/);
  const stored = JSON.parse(readFileSync(join(dir, 'shop', '.yo-rc.json'), 'utf8'))['generator-pyrepo'];
  assert.equal([stored.project.name, stored.project.package, stored.project.python], ['from-answers', 'from_answers', '3.13']);
  assert.match(readFileSync(join(dir, 'shop', 'pyproject.toml'), 'utf8'), /line-length = 100/);
  assert.match(readFileSync(join(dir, 'shop', 'docker-compose.yaml'), 'utf8'), /"0\.0\.0\.0:8000:8000"/);
  assert.match(readFileSync(join(dir, 'shop', 'docker/app/Dockerfile'), 'utf8'), /^CMD \["uwsgi", "--ini", "uwsgi\.ini"\]$/m);
  const before = folderState(join(dir, 'shop'));
  const again = pyrepo(['new', 'wpmedia-django', 'shop', '--yes', '--skip-install'], dir);
  assert.is(again.code, 0, again.stderr);
  assert.not.match(again.stderr, /\b(create|conflict|merge) /);
  assert.equal(folderState(join(dir, 'shop')), before, 'the stored facts and choices are reused: nothing changes');
});

test('add runs in the current folder or --dir, reading the project facts stored by new', () => {
  const dir = work();
  assert.is(pyrepo(['new', 'wpmedia-django', 'app', '--yes', '--layout', 'single', '--skip-install'], dir).code, 0);
  const added = pyrepo(['add', 'requirements', '--base', 'requests==2.32.5', '--yes'], join(dir, 'app'));
  assert.is(added.code, 0, added.stderr);
  assert.match(added.stderr, /merge requirements\.txt/);
  assert.match(readFileSync(join(dir, 'app', 'requirements.txt'), 'utf8'), /requests==2\.32\.5\n$/);
  const viaDir = pyrepo(['add', 'requirements', '--dir', 'app', '--yes'], dir);
  assert.is(viaDir.code, 0);
  assert.match(viaDir.stderr, /identical requirements\.txt/);
});

test('add into a repository pyrepo never touched detects the project from its files', () => {
  const dir = work();
  writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "Ticket-AI"\nrequires-python = ">=3.13"\n');
  writeFileSync(join(dir, 'manage.py'), 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ticket_ai.settings.dev")\n');
  // Coverage measures the package: it must be there (a source that does not exist is left out).
  mkdirSync(join(dir, 'ticket_ai'));
  writeFileSync(join(dir, 'ticket_ai', '__init__.py'), '');
  const result = pyrepo(['add', 'pyproject', '--yes'], dir);
  assert.is(result.code, 0, result.stderr);
  const stored = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-pyrepo'].project;
  assert.equal([stored.name, stored.package, stored.python, stored.framework], ['ticket-ai', 'ticket_ai', '3.13', 'django']);
  assert.match(readFileSync(join(dir, 'pyproject.toml'), 'utf8'), /^\[project\]\nname = "Ticket-AI"\nrequires-python = ">=3\.13"\n[\s\S]*target-version = "py313"[\s\S]*source = \[ "ticket_ai" \]/);
});

test("a generator given by path gets the CLI bundle's @pyrepo/core, and Yeoman's generator API (spawnSync, this._, appname) works in it", () => {
  const dir = work();
  const result = pyrepo(['add', join(fixtures, 'api-generator'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(result.code, 0, result.stderr);
  // appname: the project's name, not the folder's (a Python repository has no package.json to name it).
  assert.is(readFileSync(join(dir, 'api.txt'), 'utf8'), 'shared core: true\nspawned: spawned\nlodash: apiGenerator\nappname: demo\n');
});

test('a generator given by path renders its templates; a file the user changed is kept with --yes (exit 3), replaced with --force', () => {
  const dir = work();
  const sample = join(fixtures, 'sample-generator');
  const first = pyrepo(['add', sample, '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(first.code, 0, first.stderr);
  assert.is(readFileSync(join(dir, 'hello.txt'), 'utf8'), '# Generated by pyrepo (generator sample)\nHello, demo (demo)!\n');
  assert.is(statSync(join(dir, 'bin', 'run.sh')).mode & 0o777, 0o755, 'executable: true sets the mode');
  writeFileSync(join(dir, 'hello.txt'), 'my own words\n');
  chmodSync(join(dir, 'bin', 'run.sh'), 0o755);
  const dry = pyrepo(['add', sample, '--trust', '--yes', '--dry-run'], dir);
  assert.is(dry.code, 3, 'the exit code of the run it predicts');
  assert.match(dry.stderr, /conflict hello\.txt[\s\S]*-my own words[\s\S]*\+Hello, demo/);
  const kept = pyrepo(['add', sample, '--trust', '--yes'], dir);
  assert.is(kept.code, 3, kept.stderr);
  assert.match(kept.stderr, /left 1 file\(s\) you changed as they are:\n  hello\.txt\n.*--force/);
  assert.is(readFileSync(join(dir, 'hello.txt'), 'utf8'), 'my own words\n');
  const forced = pyrepo(['add', sample, '--trust', '--yes', '--force'], dir);
  assert.is(forced.code, 0, forced.stderr);
  assert.match(readFileSync(join(dir, 'hello.txt'), 'utf8'), /Hello, demo/);
  assert.ok(existsSync(join(dir, '.yo-rc.json')));
});

test("Yeoman's .yo-resolve rules hold, from the repository's root and from a subfolder", () => {
  const dir = work();
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, '.yo-resolve'), 'hello.txt skip\n');
  writeFileSync(join(dir, 'bin', '.yo-resolve'), 'run.sh\n');
  const result = pyrepo(['add', join(fixtures, 'sample-generator'), '--trust', '--yes', '--name', 'demo'], dir);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stderr, /skip hello\.txt[\s\S]*skip bin\/run\.sh/);
  assert.not.ok(existsSync(join(dir, 'hello.txt')) || existsSync(join(dir, 'bin', 'run.sh')), 'skipped files are not written');
  assert.ok(existsSync(join(dir, '.yo-rc.json')));
});

test('a preset of 120 generator packages runs each of them, without Node warning of a listener leak', () => {
  const packages = workspaceTempDir('many-');
  try {
    const generators = Array.from({ length: 120 }, (_, index) => {
      const dir = join(packages, `g${index}`);
      cpSync(join(repoRoot, 'test', 'bench', 'fixtures', 'files-generator'), dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as object;
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, name: `pyrepo-generator-many-${index}` }));
      return [dir, { count: 1 }];
    });
    writeFileSync(join(packages, 'preset.json'), JSON.stringify({ name: 'many', description: 'Many generators', generators }));
    const dir = work();
    const result = pyrepo(['new', join(packages, 'preset.json'), 'p', '--yes', '--trust', '--skip-install'], dir);
    assert.is(result.code, 0, result.stderr);
    assert.not.match(result.stderr, /MaxListenersExceededWarning/, result.stderr);
    // Each writes a module named after itself (test/bench/fixtures/files-generator).
    assert.is(readdirSync(join(dir, 'p', 'src', 'p')).filter(name => /^many_\d+_0\.py$/.test(name)).length, 120);
  } finally {
    rmSync(packages, { recursive: true, force: true });
  }
});

test('in a terminal, pyrepo new asks for the project facts; Ctrl-C at a prompt exits 130 and writes nothing', async () => {
  const dir = work();
  const answered = await runInTerminal([process.execPath, bin, 'new', 'wpmedia-django', 'web', '--skip-install'], { cwd: dir }, [
    [/Project name \(web\)/, 'demo\r'],
    [/Python package name \(demo\)/, '\r'],
    [/Python version/, '\r'],
  ]);
  assert.is(answered.code, 0, answered.output);
  assert.match(readFileSync(join(dir, 'web', '.yo-rc.json'), 'utf8'), /"name": "demo"/);
  const cancelled = await runInTerminal([process.execPath, bin, 'new', 'wpmedia-django', 'web2'], { cwd: dir }, [[/Project name/, '\x03']]);
  assert.is(cancelled.code, 130, cancelled.output);
  assert.match(cancelled.output, /cancelled; nothing was written/);
  assert.is(folderState(join(dir, 'web2')), 'absent');
});

test.run();
