import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry, Trust, UsageError, composePlan, draftPlan, finalizePlan, promptForDraft, resolvePreset, untrustedOrigins, type PlanDraft, type PlanRequest, type Question } from '../src/index.js';
import { fixture, generatorSchema, scratch, write } from './fixtures.js';

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

async function asyncUsageError(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

/** A draft as the CLI makes it: composed (with the repository's model), then drafted. */
async function drafted(request: PlanRequest, registry: Registry): Promise<PlanDraft> {
  return draftPlan(request, registry, await composePlan(request, registry));
}

test('extends: the child overrides context and options, keeps the parent order', () => {
  const { registry } = fixture();
  const preset = resolvePreset(registry(), 'child');
  assert.equal(preset.chain, ['base', 'child']);
  assert.equal(preset.context, { framework: 'django', python: '3.13' });
  assert.equal(preset.steps.map(step => [step.entry.name, step.options]), [['alpha', { level: 5 }], ['beta', { mode: 'fast' }]]);
});

test('a preset may drop an inherited generator, not one it does not inherit', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'drop.json': { name: 'drop', description: 'd', extends: 'base', generators: [['beta', false]] },
    'bad-drop.json': { name: 'bad-drop', description: 'd', generators: [['beta', false]] },
  });
  assert.equal(resolvePreset(registry(work), './drop.json').steps.map(step => step.entry.name), ['alpha']);
  assert.match(usageError(() => resolvePreset(registry(work), './bad-drop.json')).message, /drops generator "beta", which it does not inherit/);
});

test('replace swaps an inherited generator in place, without its options; templates shadow by folder; each mistake is named', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'team/preset.json': { name: 'team', description: 't', extends: 'base', replace: { beta: '../gens/gamma' }, templates: { alpha: './templates/alpha' }, generators: [] },
    'team/templates/alpha/file.txt.ejs': 'ours',
    'sub/relative.json': { name: 'relative', description: 'r', generators: ['../gens/gamma'] },
    'gens/gamma/package.json': { name: 'pyrepo-generator-gamma', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    'gens/gamma/schema.json': { $id: 'pyrepo-generator://gamma', title: 'gamma', description: 'Gamma.', type: 'object', additionalProperties: false, properties: {} },
    'bad/preset.json': { name: 'bad', description: 'b', extends: 'base', replace: { gamma: 'alpha', beta: 'nothing-like-it', alpha: 'beta' }, templates: { beta: './nowhere', gamma: './x' }, generators: [] },
  });
  const team = resolvePreset(registry(work), './team/preset.json');
  assert.equal(team.steps.map(step => [step.entry.name, step.options, step.templateDirs]), [
    ['alpha', {}, [join(work, 'team', 'templates', 'alpha')]],
    ['gamma', {}, []],
  ]);
  // Generator paths in a preset are relative to its file, not to the working folder.
  assert.equal(resolvePreset(registry(work), './sub/relative.json').steps.map(step => step.entry.name), ['gamma']);
  const problems = usageError(() => resolvePreset(registry(work), './bad/preset.json')).message;
  assert.match(problems, /replaces generator "gamma", which it does not inherit/);
  assert.match(problems, /Unknown generator "nothing-like-it"/);
  assert.match(problems, /replaces generator "alpha" with "beta", which it already runs/);
  assert.match(problems, /points the templates of "beta" at .*nowhere, which is not a folder/);
  assert.match(problems, /has templates for generator "gamma", which it does not run/);
});

test('presets that extend themselves or each other in a cycle are errors naming the loop', () => {
  const { root, registry } = fixture();
  const work = join(root, 'work');
  write(work, {
    'self.json': { name: 'self', description: 's', extends: './self.json', generators: [] },
    'a.json': { name: 'a', description: 'a', extends: './b.json', generators: [] },
    'b.json': { name: 'b', description: 'b', extends: './a.json', generators: [] },
    'unknown-parent.json': { name: 'orphan', description: 'o', extends: 'nope', generators: [] },
    'unknown-gen.json': { name: 'ug', description: 'u', generators: ['alpah', 'gamma'] },
    'invalid.json': { name: 'Bad Name', generators: 'alpha' },
    'not-json.json': '{',
  });
  const r = registry(work);
  assert.match(usageError(() => resolvePreset(r, './self.json')).message, /Preset "self" extends itself/);
  assert.match(usageError(() => resolvePreset(r, './a.json')).message, /cycle: a -> b -> a/);
  assert.match(usageError(() => resolvePreset(r, './unknown-parent.json')).message, /Unknown preset "nope" \(extended by preset "orphan"\)/);
  const unknownGenerators = usageError(() => resolvePreset(r, './unknown-gen.json'));
  assert.is(unknownGenerators.problems.length, 2, 'every unknown generator is reported at once');
  assert.match(unknownGenerators.message, /Unknown generator "alpah" in preset "ug".*Did you mean "alpha"/);
  const invalid = usageError(() => resolvePreset(r, './invalid.json'));
  assert.match(invalid.message, /invalid\.json is invalid/);
  assert.match(invalid.message, /description/);
  assert.match(usageError(() => resolvePreset(r, './not-json.json')).message, /not valid JSON/);
});

const request = (root: string, overrides: Partial<PlanRequest>): PlanRequest => ({ targetDir: join(root, 'work', 'my-app'), values: {}, interactive: false, ...overrides });

test('option values: nested beats flat beats stored beats preset beats default; flat options reach every generator that has them', async () => {
  const { root, registry } = fixture();
  write(join(root, 'work', 'my-app'), {
    '.yo-rc.json': { 'generator-pyrepo': { project: { python: '3.12' }, generators: { alpha: { level: 7 }, beta: { shared: 'stored' } } } },
  });
  const plan = finalizePlan(await drafted(request(root, { preset: 'child', values: { shared: 'flat', beta: { shared: 'nested' } } }), registry()));
  assert.equal(plan.steps.map(step => [step.entry.name, step.options]), [
    ['alpha', { level: 7, shared: 'flat' }],
    ['beta', { mode: 'fast', shared: 'nested' }],
  ]);
  assert.is(plan.project.python, '3.12', 'the stored fact wins over the preset');
  assert.is(plan.project.framework, 'django');
  assert.is(plan.project.name, 'my-app');
  assert.equal(plan.steps[1]!.chosen, { shared: 'nested' }, 'preset values and defaults are not stored as choices');
});

test('a generator added to a repository made from a preset takes that preset\'s options for it; an uninstalled preset is no error', async () => {
  const { root, registry } = fixture();
  write(join(root, 'work', 'made'), { '.yo-rc.json': { 'generator-pyrepo': { preset: 'child', project: { name: 'made' } } } });
  write(join(root, 'work', 'orphan'), { '.yo-rc.json': { 'generator-pyrepo': { preset: 'gone', project: { name: 'orphan' } } } });
  const added = async (dir: string) => finalizePlan(await drafted({ targetDir: join(root, 'work', dir), generators: ['beta'], values: {}, interactive: false }, registry())).steps[0]!;
  assert.equal((await added('made')).options, { mode: 'fast', shared: 'b' });
  assert.equal((await added('made')).chosen, {}, 'still not stored as a choice');
  assert.equal((await added('orphan')).options, { mode: 'safe', shared: 'b' });
});

test('unknown options, options for generators outside the plan, and invalid values are all reported before anything runs', async () => {
  const { root, registry } = fixture();
  const error = await asyncUsageError(() => drafted(request(root, { generators: ['alpha'], values: { levle: 3, level: 99, mode: 'fast', python: '2' } }), registry()));
  const text = error.message;
  assert.match(text, /Unknown option --levle .*Did you mean --level\?/);
  assert.match(text, /Unknown option --mode .*no generator in this run takes it/);
  assert.match(text, /Invalid option --level of generator "alpha": must be <= 9 \(got 99\)/);
  assert.match(text, /Invalid --python/);
  assert.is(error.problems.length, 4);
  const outside = await asyncUsageError(() => drafted(request(root, { generators: ['alpha'], values: { beta: 1 } }), registry()));
  assert.match(outside.message, /Options for generator "beta" were given, but it is not part of this run/);
  assert.match((await asyncUsageError(() => drafted(request(root, { generators: ["alpah"] }), registry()))).message, /Did you mean "alpha"/);
});

test('a bad preset value is named as the preset\'s', async () => {
  const { root, registry } = fixture();
  write(join(root, 'work'), { 'bad.json': { name: 'bad', description: 'b', generators: [['alpha', { level: 0, nope: 1 }]] } });
  const text = (await asyncUsageError(() => drafted(request(root, { preset: './bad.json' }), registry()))).message;
  assert.match(text, /option --level of generator "alpha" \(set by preset "bad"\)/);
  assert.match(text, /Unknown option --nope of generator "alpha" \(set by preset "bad"\)/);
});

test('interactive drafts ask for prompted values; the package default follows the answered name; answers are validated', async () => {
  const { root, registry } = fixture();
  const draft = await drafted(request(root, { generators: ['beta'], interactive: true }), registry());
  const asked: Question[] = [];
  const answers: Record<string, unknown> = { name: 'Shop_Front', python: '3.13', 'beta.mode': 'fast' };
  await promptForDraft(draft, async question => {
    asked.push(question);
    if (question.name === 'package') {
      assert.is(question.default, 'shop_front');
      assert.match(String(question.validate?.('import')), /not a Python keyword/);
      assert.is(question.validate?.('shop'), true);
      return 'shop';
    }
    return answers[question.name];
  });
  assert.equal(asked.map(q => [q.name, q.type]), [['name', 'input'], ['package', 'input'], ['python', 'select'], ['beta.mode', 'select']]);
  const plan = finalizePlan(draft);
  assert.equal([plan.project.name, plan.project.package, plan.project.python], ['shop-front', 'shop', '3.13']);
  assert.equal(plan.steps[0]!.options, { mode: 'fast', shared: 'b' });
  assert.equal(plan.steps[0]!.chosen, { mode: 'fast' });
});

test('a composition with an untrusted generator or preset template folder is refused before any of its values is validated', async () => {
  const { root, catalog } = fixture();
  const work = join(root, 'work');
  write(work, {
    'node_modules/pyrepo-generator-tool/package.json': { name: 'pyrepo-generator-tool', version: '1.0.0', pyrepo: { kind: 'generator' } },
    'node_modules/pyrepo-generator-tool/schema.json': generatorSchema('tool', { size: { type: 'integer', minimum: 1, maximum: 3, description: 'A size.' } }),
    'team.json': { name: 'team', description: 'Shadows alpha.', extends: 'base', templates: { alpha: './tpl' }, generators: [] },
    'tpl/a.txt.ejs': 'x',
  });
  const registry = new Registry({ catalog, catalogDir: root, cwd: work, trust: new Trust({ file: join(scratch('pyrepo-trust-'), 'trusted.json') }) });
  // An invalid value would be reported by compiling the generator's schema: the refusal comes first.
  const tool = await asyncUsageError(() => drafted({ targetDir: join(work, 'repo'), generators: ['tool'], values: { size: 99 }, interactive: false }, registry));
  assert.is(tool.problems.length, 1);
  assert.match(tool.message, /generator package pyrepo-generator-tool 1\.0\.0 \(found in .*\) did not ship with pyrepo and is not trusted/);
  const team = await composePlan({ targetDir: join(work, 'repo'), preset: './team.json' }, registry);
  assert.equal(untrustedOrigins(team).map(origin => [origin.kind, origin.found, origin.name]), [['preset', 'path', join(work, 'team.json')]]);
  // Built-ins alone, and a registry without a trust policy (a program's own choice), need no trust.
  assert.equal(untrustedOrigins(await composePlan({ targetDir: join(work, 'repo'), preset: 'child' }, registry)), []);
  assert.equal(untrustedOrigins(await composePlan({ targetDir: join(work, 'repo'), generators: ['tool'] }, new Registry({ catalog, catalogDir: root, cwd: work }))), []);
});

test('a fact the composition needs and nobody established is asked in a terminal, and without one is a usage error naming what was looked at and its flag', async () => {
  const { root, catalog } = fixture();
  write(root, {
    'node_modules/@pyrepo/generator-gamma/package.json': { name: '@pyrepo/generator-gamma', version: '1.0.0', pyrepo: { kind: 'generator' }, exports: { '.': './index.js' } },
    'node_modules/@pyrepo/generator-gamma/schema.json': { ...generatorSchema('gamma'), 'x-needs': ['application'] },
    'node_modules/@pyrepo/generator-gamma/index.js': 'export default class {}\n',
  });
  const registry = () => new Registry({ catalog: { ...catalog, generators: [...catalog.generators, { name: 'gamma', package: '@pyrepo/generator-gamma', description: 'Needs the application.' }] }, catalogDir: root, cwd: join(root, 'work') });
  write(join(root, 'work', 'my-app'), { 'requirements.txt': 'flask\n' });
  const refused = await asyncUsageError(() => drafted(request(root, { generators: ['gamma'] }), registry()));
  assert.is(refused.problems.length, 1);
  assert.is(refused.problems[0]!.key, 'wsgiApp');
  assert.match(refused.message, /It is needed by gamma, and pyrepo could not establish it: it looked at app\.py, wsgi\.py/);
  assert.match(refused.message, /pass --wsgi-app <value>/);
  const draft = await drafted(request(root, { generators: ['gamma'], interactive: true }), registry());
  const asked: string[] = [];
  await promptForDraft(draft, async question => {
    asked.push(question.name);
    return question.name === 'wsgiApp' ? 'shop:create_app()' : question.default;
  });
  assert.ok(asked.includes('wsgiApp'), asked.join(', '));
  assert.not.ok(asked.includes('settingsModule') || asked.includes('asgiApp'), 'only the facts the run needs are asked');
  assert.is(finalizePlan(draft).project.wsgiApp, 'shop:create_app()');
});

test.run();
