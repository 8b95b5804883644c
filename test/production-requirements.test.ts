// Development tools leave production's requirements in every preset, whatever its layout: what an
// image's venv or a server's venv installs (pip's parser, every -r followed) holds none of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requirementsLayouts, type RequirementsLayout } from '@pyrepo/core';
import { parseRequirementsFiles, runPyrepo } from '@pyrepo/testing';
import { presetNames } from './helpers/walk.js';

const developmentTools = /^(pytest|pytest-django|ruff|coverage|build|shiv|ipython)\b/i;

for (const preset of presetNames) {
  test(`${preset}: production's requirements (the prod role and the file a release installs) hold no development tool; the development file has them`, async () => {
    const run = await runPyrepo({ preset, values: { name: 'svc', python: '3.11', skipGit: true } });
    try {
      const layout = JSON.parse(run.read('.yo-rc.json'))['generator-pyrepo'].project.layout as RequirementsLayout;
      const { roles, ships } = requirementsLayouts[layout];
      const production = parseRequirementsFiles(run.dir, [...new Set([roles.prod, ships])]);
      for (const [file, requirements] of Object.entries(production)) {
        assert.equal(requirements.filter(line => developmentTools.test(line)), [], `${file} (${layout})`);
      }
      const development = parseRequirementsFiles(run.dir, [roles.dev])[roles.dev]!;
      assert.ok(development.some(line => /^pytest\b/i.test(line)), `${roles.dev} has pytest: ${development.join(', ')}`);
    } finally {
      run.cleanup();
    }
  });
}

test.run();
