// The built-in generators and presets, for tests that must apply to every one, including those
// added later: they walk the catalog instead of naming packages.
import { UsageError, frameworkRuntimes, type Framework, type JsonObject } from '@pyrepo/core';
import { runPyrepo, type RunPyrepoResult } from '@pyrepo/testing';
import { catalog } from 'generator-pyrepo/catalog';

export const presetNames = catalog.presets.map(entry => entry.name);
export const generatorNames = catalog.generators.map(entry => entry.name);

const frameworks = ['none', 'django', 'flask', 'fastapi', 'tornado'];

/**
 * `pyrepo add <name>` into a new folder, with the first framework the generator accepts (some
 * serve WSGI applications only, some Django only): the generator alone, as a user would add it,
 * told where the application is (the facts the framework's own generator would establish: the
 * folder has no application to read them from).
 */
export async function runGeneratorAlone(name: string, values: JsonObject = {}): Promise<RunPyrepoResult & { framework: string }> {
  const refusals: string[] = [];
  for (const framework of frameworks) {
    try {
      const facts = frameworkRuntimes[framework as Framework]?.creates({ name: 'demo', package: 'demo' }) ?? {};
      return { ...(await runPyrepo({ generators: [name], values: { name: 'demo', framework, ...facts, ...values } as JsonObject })), framework };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      refusals.push(`${framework}: ${(error as Error).message}`);
    }
  }
  throw new Error(`generator ${name} accepted no framework:\n${refusals.join('\n')}`);
}
