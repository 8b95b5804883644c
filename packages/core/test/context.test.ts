import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { draftContext, finalizeContext, normalizeName, packageFromName, type ContextLayers } from '../src/index.js';

const layers = (overrides: Partial<ContextLayers> = {}): ContextLayers => ({ option: {}, stored: {}, preset: {}, detected: {}, targetDir: '/tmp/My_App.io', ...overrides });

test('names are normalized per PEP 503 and packages derived from them', () => {
  assert.is(normalizeName('My_App.io'), 'my-app-io');
  assert.is(normalizeName('a--b__c..d'), 'a-b-c-d');
  assert.is(packageFromName('My_App.io'), 'my_app_io');
  const { context } = finalizeContext(draftContext(layers()));
  assert.equal(context, { name: 'my-app-io', package: 'my_app_io', python: '3.12', framework: 'none', layout: 'layered', venvDir: '.venv', appUser: 'app', port: 8000 });
});

test('each fact comes from the first layer that has it: option, stored, preset, detected', () => {
  const draft = draftContext(layers({ option: { python: '3.13' }, stored: { python: '3.11', layout: 'single' }, preset: { layout: 'layered', framework: 'django' }, detected: { framework: 'flask', venvDir: 'env' } }));
  assert.equal(draft.values, { python: '3.13', layout: 'single', framework: 'django', venvDir: 'env', name: 'My_App.io', package: 'my_app_io' });
  assert.equal(draft.sources, { python: 'option', layout: 'stored', framework: 'preset', venvDir: 'detected', name: 'derived', package: 'derived' });
});

const invalid = (option: Record<string, unknown>, targetDir = '/tmp/ok') => finalizeContext(draftContext(layers({ option, targetDir }))).problems;

for (const name of ['../x', 'my app', '', 'a/b', 'x'.repeat(300), '-lead', 'trail.']) {
  test(`project name ${JSON.stringify(name.slice(0, 20))} is rejected with the rule and the fix`, () => {
    const problems = invalid({ name });
    assert.is(problems.length >= 1, true);
    assert.is(problems[0]!.key, 'name');
    assert.match(problems[0]!.message, /--name/);
    assert.match(problems[0]!.message, /PEP 508 project name/);
    assert.match(problems[0]!.fix, /pass --name/);
  });
}

test('a project name starting with a digit derives an invalid package, and the fix says so', () => {
  const problems = invalid({ name: '1abc' });
  assert.is(problems.length, 1);
  assert.is(problems[0]!.key, 'package');
  assert.match(problems[0]!.message, /--package \(derived from the project name "1abc"\)/);
  assert.match(problems[0]!.fix, /pass --package/);
  assert.match(problems[0]!.fix, /starts with a letter/);
});

test('a folder name that is not a project name points at --name', () => {
  const problems = invalid({}, '/tmp/my app');
  assert.match(problems[0]!.message, /default: the folder name "my app"/);
  assert.match(problems[0]!.fix, /folder whose name is one/);
});

for (const pkg of ['import', 'class', 'None', 'my-app', '1x', 'café']) {
  test(`package ${pkg} is rejected`, () => {
    const problems = invalid({ name: 'ok', package: pkg });
    assert.is(problems[0]?.key, 'package');
    assert.match(problems[0]!.message, /not a Python keyword|valid Python identifier/);
  });
}

test('python, port and enum facts are checked', () => {
  assert.is(invalid({ python: '2.7' })[0]!.message, 'Invalid --python: must be one of 3.10, 3.11, 3.12, 3.13, 3.14 (got "2.7").');
  assert.match(invalid({ port: 70000 })[0]!.message, /--port: must be <= 65535 \(got 70000\)/);
  assert.match(invalid({ port: 'http' })[0]!.message, /--port: must be integer \(got "http"\)/);
  assert.match(invalid({ framework: 'rails' })[0]!.fix, /one of django, flask, fastapi, tornado, none/);
  assert.equal(finalizeContext(draftContext(layers({ option: { port: '9000' } }))).context?.port, 9000);
});

test.run();
