// Every generator and preset package has the same shape; this walks them all, so a package added
// later is checked without touching this file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  PyrepoGenerator,
  Registry,
  checkGeneratorSchema,
  optionsTableBegin,
  optionsTableEnd,
  renderOptionsTable,
  renderOptionsType,
  resolvePreset,
  type GeneratorSchema,
} from '@pyrepo/core';
import { catalog, catalogDir } from 'generator-pyrepo/catalog';
import { repoRoot } from './helpers/cli.js';

const yeomanQueues = ['constructor', 'initializing', 'prompting', 'configuring', 'default', 'writing', 'transform', 'conflicts', 'install', 'end'];
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
const generatorDirs = readdirSync(join(repoRoot, 'packages', 'generators')).map(name => join(repoRoot, 'packages', 'generators', name));
const presetDirs = readdirSync(join(repoRoot, 'presets')).map(name => join(repoRoot, 'presets', name));
const distribution = readJson(join(repoRoot, 'packages', 'generator-pyrepo', 'package.json'));
const hasTests = (dir: string) => existsSync(join(dir, 'test')) && readdirSync(join(dir, 'test')).some(file => file.endsWith('.test.ts'));

for (const dir of generatorDirs) {
  const name = dir.split('/').at(-1)!;
  test(`generator ${name}: package, schema, class, derived types and README table, tests`, async () => {
    const pkg = readJson(join(dir, 'package.json'));
    assert.is(pkg.name, `@pyrepo/generator-${name}`);
    assert.equal(pkg.pyrepo, { kind: 'generator' });
    assert.is(pkg.type, 'module');
    assert.is(pkg.exports['.'], './dist/src/index.js');
    assert.ok(pkg.files.includes('schema.json'), 'schema.json is published');
    for (const folder of ['templates', 'fragments']) if (existsSync(join(dir, folder))) assert.ok(pkg.files.includes(folder), `${folder}/ is published`);
    assert.is(pkg.engines?.node, '^20.17.0 || ^24.0.0');

    const schema = readJson(join(dir, 'schema.json')) as GeneratorSchema;
    assert.equal(checkGeneratorSchema(schema), []);
    assert.is(schema.$id, `pyrepo-generator://${name}`);
    assert.is(schema.title, name);

    const module = (await import(pathToFileURL(join(dir, 'dist', 'src', 'index.js')).href)) as { default: unknown };
    assert.type(module.default, 'function');
    assert.ok((module.default as { prototype: unknown }).prototype instanceof PyrepoGenerator, 'the default export extends PyrepoGenerator');
    // Yeoman runs every public method of the class as a task: helpers must be #private or functions.
    const methods = Object.getOwnPropertyNames((module.default as { prototype: object }).prototype);
    assert.equal(methods.filter(method => !yeomanQueues.includes(method)), [], 'public methods are Yeoman queue names only');

    assert.is(readFileSync(join(dir, 'src', 'options.ts'), 'utf8'), renderOptionsType(schema), 'src/options.ts matches schema.json: run `pnpm codegen`');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(optionsTableBegin) + optionsTableBegin.length + 1, readme.indexOf(optionsTableEnd) - 1);
    assert.ok(readme.includes(optionsTableBegin) && readme.includes(optionsTableEnd), 'README has the options table markers');
    assert.is(table, renderOptionsTable(schema), 'the README options table matches schema.json: run `pnpm codegen`');

    assert.ok(hasTests(dir), 'has uvu tests in test/');
    assert.ok(distribution.dependencies[pkg.name], 'generator-pyrepo ships it as a built-in');
    assert.ok(catalog.generators.some(entry => entry.package === pkg.name));
    assert.ok(existsSync(join(catalogDir, 'generators', name, 'index.js')), `yo pyrepo:${name} has its entry`);
  });
}

for (const dir of presetDirs) {
  const name = dir.split('/').at(-1)!;
  test(`preset ${name}: package, preset.json that resolves, README with the seed differences, tests`, () => {
    const pkg = readJson(join(dir, 'package.json'));
    assert.is(pkg.name, `@pyrepo/preset-${name}`);
    assert.equal(pkg.pyrepo, { kind: 'preset' });
    assert.ok(pkg.files.includes('preset.json'));
    const preset = readJson(join(dir, 'preset.json'));
    assert.is(preset.name, name);
    const resolved = resolvePreset(new Registry({ catalog, catalogDir, cwd: dir }), name);
    assert.ok(resolved.steps.length > 0);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    assert.match(readme, /## Where it differs from the seed, and why/);
    assert.ok(hasTests(dir), 'has uvu tests in test/');
    assert.ok(distribution.dependencies[pkg.name], 'generator-pyrepo ships it as a built-in');
    assert.ok(existsSync(join(catalogDir, 'generators', name, 'index.js')), `yo pyrepo:${name} has its entry`);
  });
}

test('yo pyrepo has its entry, and no built-in name is taken twice', () => {
  assert.ok(existsSync(join(catalogDir, 'generators', 'app', 'index.js')));
  const names = [...catalog.presets, ...catalog.generators].map(entry => entry.name);
  assert.equal(names.length, new Set(names).size);
  assert.equal(names.length, generatorDirs.length + presetDirs.length, 'every workspace generator and preset is a built-in');
});

test.run();
