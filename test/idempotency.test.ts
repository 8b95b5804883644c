// Re-running changes nothing: every preset, every generator alone, and every generator added
// again to a repository its preset made. Walks the catalog, so later packages are covered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry, resolvePreset } from '@pyrepo/core';
import { folderState, runPyrepo, type RunPyrepoResult } from '@pyrepo/testing';
import { catalog, catalogDir } from 'generator-pyrepo/catalog';
import { generatorNames, presetNames, runGeneratorAlone } from './helpers/walk.js';

/** Yeoman's status of every file a run touched, except the ones that say nothing changed. */
const changes = (log: string) => log.split('\n').filter(line => /^\s*(create|force|update|merge|conflict|skip)\s/.test(line));

async function assertRerunChangesNothing(first: RunPyrepoResult, again: (dir: string) => Promise<RunPyrepoResult>): Promise<void> {
  const before = folderState(first.dir);
  const second = await again(first.dir);
  assert.equal(changes(second.log), [], `the second run changed files:\n${second.log}`);
  assert.ok(/identical/.test(second.log), 'the second run reports its files identical');
  assert.equal(folderState(first.dir), before, 'the folder is byte for byte the same');
}

for (const preset of presetNames) {
  test(`preset ${preset}, run twice: the second run changes nothing`, async () => {
    const values = { name: 'twice' };
    const first = await runPyrepo({ preset, values });
    try {
      await assertRerunChangesNothing(first, dir => runPyrepo({ preset, values, dir }));
      // Each of its generators added again (pyrepo add X in the repository): nothing changes either.
      const steps = resolvePreset(new Registry({ catalog, catalogDir, cwd: first.dir }), preset).steps;
      for (const step of steps) {
        await assertRerunChangesNothing(first, dir => runPyrepo({ generators: [step.entry.name], dir }));
      }
    } finally {
      first.cleanup();
    }
  });
}

for (const generator of generatorNames) {
  test(`pyrepo add ${generator}, twice: the second run changes nothing`, async () => {
    const first = await runGeneratorAlone(generator);
    try {
      await assertRerunChangesNothing(first, dir => runPyrepo({ generators: [generator], dir }));
    } finally {
      first.cleanup();
    }
  });
}

test('the walk covers the workspace', () => {
  assert.ok(presetNames.length >= 5 && generatorNames.length >= 19, `${presetNames.length} presets, ${generatorNames.length} generators`);
});

test.run();
