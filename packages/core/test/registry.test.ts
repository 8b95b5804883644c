import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry, Trust, UsageError, candidatePackages, coreVersion, shortName } from '../src/index.js';
import { fixture, generatorSchema, scratch, write } from './fixtures.js';

test('package names and short names map both ways', () => {
  assert.is(shortName('@pyrepo/generator-uwsgi', 'generator'), 'uwsgi');
  assert.is(shortName('@pyrepo/preset-wpmedia-django', 'preset'), 'wpmedia-django');
  assert.is(shortName('@acme/pyrepo-preset-web', 'preset'), '@acme/web');
  assert.is(shortName('pyrepo-generator-sentry', 'generator'), 'sentry');
  assert.equal(candidatePackages('@acme/web', 'preset'), ['@acme/pyrepo-preset-web', '@acme/web']);
  assert.equal(candidatePackages('@acme/pyrepo-preset-web', 'preset'), ['@acme/pyrepo-preset-web']);
  assert.equal(candidatePackages('x', 'generator'), ['pyrepo-generator-x', 'x']);
});

test('built-ins resolve by short and package name', () => {
  const { registry } = fixture();
  const r = registry();
  assert.is(r.findGenerator('alpha')?.name, 'alpha');
  assert.is(r.findGenerator('@pyrepo/generator-alpha')?.source.type, 'built-in');
  assert.is(r.findPreset('child')?.name, 'child');
  assert.is(r.findGenerator('gamma'), undefined);
});

test('npm packages resolve from the working folder by short or full name, scoped or not; the pyrepo key decides', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'node_modules/@acme/pyrepo-preset-web/package.json': { name: '@acme/pyrepo-preset-web', version: '2.0.0', description: 'Acme web', pyrepo: { kind: 'preset' } },
    'node_modules/@acme/pyrepo-preset-web/preset.json': { name: '@acme/web', description: 'Acme web', extends: 'base', generators: [] },
    'node_modules/pyrepo-generator-sentry/package.json': { name: 'pyrepo-generator-sentry', version: '0.3.0', pyrepo: { kind: 'generator' }, main: 'lib/main.js' },
    'node_modules/pyrepo-generator-sentry/schema.json': generatorSchema('sentry'),
    'node_modules/pyrepo-generator-fake/package.json': { name: 'pyrepo-generator-fake', version: '0.1.0' },
  });
  const r = registry(work);
  for (const ref of ['@acme/web', '@acme/pyrepo-preset-web']) {
    const preset = r.findPreset(ref);
    assert.is(preset?.name, '@acme/web');
    assert.equal(preset?.source, { type: 'package', packageName: '@acme/pyrepo-preset-web', version: '2.0.0', path: join(work, 'node_modules/@acme/pyrepo-preset-web') });
  }
  const sentry = r.findGenerator('sentry');
  assert.is(sentry?.module, join(work, 'node_modules/pyrepo-generator-sentry/lib/main.js'));
  assert.is(r.findGenerator('fake'), undefined, 'a package without the pyrepo key is not a generator');
  const listed = r.listInstalled().map(row => `${row.kind}:${row.name}:${row.source.type}`);
  assert.ok(listed.includes('preset:@acme/web:package'));
  assert.ok(listed.includes('generator:sentry:package'));
  assert.ok(listed.includes('generator:alpha:built-in'));
});

test('paths resolve to preset files and packages; a folder that is not a pyrepo package is a usage error', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'my-preset.json': { name: 'mine', description: 'Mine', generators: ['alpha'] },
    'gen/package.json': { name: 'local-gen', pyrepo: { kind: 'generator' } },
    'gen/schema.json': generatorSchema('local'),
    'notgen/package.json': { name: 'notgen' },
  });
  const r = registry(work);
  assert.is(r.findPreset('./my-preset.json')?.file, join(work, 'my-preset.json'));
  assert.is(r.findGenerator('./gen')?.name, 'local-gen');
  assert.is(r.findGenerator('./gen')?.source.type, 'path');
  assert.throws(() => r.findGenerator('./notgen'), (error: unknown) => error instanceof UsageError && /not a pyrepo generator package/.test(error.message));
});

test('a broken package is reported by name in list, and the others still list', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'node_modules/pyrepo-generator-broken/package.json': { name: 'pyrepo-generator-broken', pyrepo: { kind: 'generator' } },
    'node_modules/pyrepo-generator-broken/schema.json': '{ not json',
    'node_modules/pyrepo-generator-badschema/package.json': { name: 'pyrepo-generator-badschema', pyrepo: { kind: 'generator' } },
    'node_modules/pyrepo-generator-badschema/schema.json': { title: 'x', properties: { name: { type: 'string', description: 'clashes with a project fact' } } },
    'node_modules/pyrepo-generator-unbounded/package.json': { name: 'pyrepo-generator-unbounded', pyrepo: { kind: 'generator' } },
    'node_modules/pyrepo-generator-unbounded/schema.json': generatorSchema('unbounded', { motto: { type: 'string', description: 'Lands in a file unchecked.' } }),
  });
  const rows = registry(work).listInstalled();
  const broken = rows.find(row => row.name === 'broken');
  assert.match(broken?.error ?? '', /schema\.json of pyrepo-generator-broken.*not valid JSON/);
  const bad = rows.find(row => row.name === 'badschema');
  assert.match(bad?.error ?? '', /invalid schema\.json/);
  // A string that reaches files needs an enum, or a pattern, a maxLength and its rule in words.
  assert.match(rows.find(row => row.name === 'unbounded')?.error ?? '', /properties\/motto: a string option needs an enum, or a pattern, a maxLength and x-rule/);
  assert.ok(rows.some(row => row.name === 'alpha' && !row.error));
});

test('an unknown name suggests the closest ones', () => {
  const { registry } = fixture();
  const problem = registry().unknown('generator', 'alpah', '');
  assert.match(problem.message, /Unknown generator "alpah"\. Did you mean "alpha"\?/);
  assert.match(problem.fix, /pyrepo list/);
});


test('a package made for another @pyrepo/core is refused naming both versions; a range that is not one is named', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  const pkg = (name: string, range: string) => ({
    [`node_modules/pyrepo-generator-${name}/package.json`]: { name: `pyrepo-generator-${name}`, version: '2.3.4', pyrepo: { kind: 'generator' }, peerDependencies: { '@pyrepo/core': range } },
    [`node_modules/pyrepo-generator-${name}/schema.json`]: generatorSchema(name),
  });
  write(work, { ...pkg('future', '^9.0.0'), ...pkg('odd', 'soon'), ...pkg('fits', `^${coreVersion}`) });
  const message = (ref: string) => {
    try {
      registry(work).findGenerator(ref);
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  assert.is(message('future'), `pyrepo-generator-future 2.3.4 is built for @pyrepo/core ^9.0.0, but this pyrepo has @pyrepo/core ${coreVersion}. Install a version of it made for @pyrepo/core ${coreVersion}, or a pyrepo whose core satisfies ^9.0.0.`);
  assert.match(message('odd'), /asks for @pyrepo\/core "soon", which is not a version range/);
  assert.is(message('fits'), 'no error');
});

test("a built-in is pyrepo's own copy: a package of the same name in the working folder or the target does not shadow it", () => {
  const { root, catalog } = fixture();
  const work = join(root, 'work');
  const planted = { name: '@pyrepo/generator-alpha', version: '6.6.6', pyrepo: { kind: 'generator' } };
  write(work, { 'node_modules/@pyrepo/generator-alpha/package.json': planted, 'node_modules/@pyrepo/generator-alpha/schema.json': generatorSchema('alpha') });
  write(join(work, 'repo'), { 'node_modules/@pyrepo/generator-alpha/package.json': planted, 'node_modules/@pyrepo/generator-alpha/schema.json': generatorSchema('alpha') });
  const r = new Registry({ catalog, catalogDir: root, cwd: work, projectDir: join(work, 'repo') });
  const own = join(root, 'node_modules/@pyrepo/generator-alpha');
  for (const ref of ['alpha', '@pyrepo/generator-alpha']) {
    assert.equal(r.findGenerator(ref)?.source, { type: 'built-in', packageName: '@pyrepo/generator-alpha', version: '1.0.0', path: own });
    assert.is(r.findGenerator(ref)?.dir, own);
  }
  assert.equal(r.listInstalled().filter(row => row.name === 'alpha').map(row => row.source), [{ type: 'built-in', packageName: '@pyrepo/generator-alpha', version: '1.0.0', path: own }]);
});

test("team packages come from the target's and the working folder's own node_modules and pyrepo's install, never a parent folder's", () => {
  const { root, catalog } = fixture();
  const team = (name: string) => ({ [`node_modules/pyrepo-generator-${name}/package.json`]: { name: `pyrepo-generator-${name}`, version: '1.0.0', pyrepo: { kind: 'generator' } }, [`node_modules/pyrepo-generator-${name}/schema.json`]: generatorSchema(name) });
  const parent = join(root, 'parent');
  write(parent, team('above'));
  write(join(parent, 'work'), team('here'));
  write(join(parent, 'repo'), team('target'));
  write(root, team('beside')); // beside generator-pyrepo's own packages: pyrepo's install
  const r = new Registry({ catalog, catalogDir: root, cwd: join(parent, 'work'), projectDir: join(parent, 'repo') });
  assert.is(r.findGenerator('above'), undefined);
  for (const name of ['here', 'target', 'beside']) assert.is(r.findGenerator(name)?.source.type, 'package', name);
  assert.not.ok(r.listInstalled().some(row => row.name === 'above'));
});

test('a registry with a trust policy does not import a package it does not trust; --trust (everything) and a trusted record do', async () => {
  const { root, catalog } = fixture();
  const work = join(root, 'work');
  write(work, {
    'node_modules/pyrepo-generator-tool/package.json': { name: 'pyrepo-generator-tool', version: '1.0.0', type: 'module', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    'node_modules/pyrepo-generator-tool/schema.json': generatorSchema('tool'),
    'node_modules/pyrepo-generator-tool/index.js': 'export default "loaded";\n',
  });
  const config = scratch('pyrepo-trust-');
  const trustedFile = join(config, 'trusted.json');
  const load = (trust: Trust) => new Registry({ catalog, catalogDir: root, cwd: work, trust }).findGenerator('tool')!.load();
  await load(new Trust({ file: trustedFile })).then(
    () => assert.unreachable('loaded untrusted code'),
    (error: unknown) => assert.ok(error instanceof UsageError && /generator package pyrepo-generator-tool 1\.0\.0 \(found in .*\) did not ship with pyrepo and is not trusted/.test(error.message), String(error)),
  );
  assert.is(((await load(new Trust({ file: trustedFile, everything: true }))) as { default: string }).default, 'loaded');
  const trust = new Trust({ file: trustedFile });
  trust.grant([{ kind: 'generator', found: 'package', name: 'pyrepo-generator-tool', version: '1.0.0', path: realpathSync(join(work, 'node_modules/pyrepo-generator-tool')) }], true);
  assert.is(((await load(new Trust({ file: trustedFile }))) as { default: string }).default, 'loaded', 'recorded for later runs');
});

test.run();
