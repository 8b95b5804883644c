// Hardened output, for every preset and every generator alone (walking the catalog): each file
// passes the tool that reads it and pyrepo's rules on top (see docs/security.md): containers and
// services never run as root, .dockerignore keeps secrets and history out of images, base images
// are current Debian releases, units verify and rate 2.5 or better, scripts are set -eu and
// shellcheck-clean, uWSGI drops root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRepositories, checkRuff, copyOf, runPyrepo, type RunPyrepoResult } from '@pyrepo/testing';
import { generatorNames, presetNames, runGeneratorAlone } from './helpers/walk.js';

const runs = new Map<string, RunPyrepoResult>();

test.before(async () => {
  for (const preset of presetNames) runs.set(`preset ${preset}`, await runPyrepo({ preset, values: { name: preset } }));
  for (const generator of generatorNames) runs.set(`generator ${generator}`, await runGeneratorAlone(generator));
});
test.after(() => runs.forEach(run => run.cleanup()));

test('every file of every preset and of every generator alone passes its tool and the hardening rules', () => {
  const dirs = [...runs.values()].map(run => run.dir);
  const names = new Map([...runs].map(([name, run]) => [run.dir, name]));
  const problems = checkRepositories(dirs).map(line => {
    const dir = dirs.find(candidate => line.startsWith(`${candidate}/`))!;
    return `${names.get(dir)}: ${line.slice(dir.length + 1)}`;
  });
  assert.equal(problems, []);
});

test('what the rules need is there to check: images, units, scripts and uWSGI configurations are generated', () => {
  const files = [...runs.values()].flatMap(run => Object.keys(run.files()));
  for (const pattern of [/Dockerfile$/, /\.dockerignore$/, /\.service$/, /\.sh$/, /uwsgi\.ini$/, /supervisor\/.*\.conf$/]) {
    assert.ok(files.some(file => pattern.test(file)), `no generated file matches ${pattern}`);
  }
});

test('every Python file a generator writes alone passes ruff check and ruff format --check, with the ruff configuration `pyrepo add pyproject` then writes', async () => {
  const problems: string[] = [];
  const checked: string[] = [];
  for (const [name, run] of runs) {
    if (!name.startsWith('generator ') || !Object.keys(run.files()).some(path => path.endsWith('.py'))) continue;
    const copy = copyOf(run.dir);
    try {
      await runPyrepo({ generators: ['pyproject'], dir: copy.dir });
      const result = checkRuff(copy.dir);
      checked.push(...result.files.map(file => `${name}: ${file}`));
      problems.push(...result.problems.map(problem => `${name}: ${problem}`));
    } finally {
      copy.cleanup();
    }
  }
  for (const framework of ['django', 'flask', 'fastapi', 'tornado']) assert.ok(checked.some(file => file.startsWith(`generator ${framework}: `)), `generator ${framework}'s Python files checked`);
  assert.equal(problems, []);
});

test.run();
