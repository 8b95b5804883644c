import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PyrepoError, UsageError, baseSnapshotLimits, formatBaseSnapshot, formatFileRecord, migrateAnswers, parseFileRecord, readFileRecords, recordedGenerations, requiredFiles, withGeneration, type GeneratorSchema } from '../src/index.js';

const hash = (c: string) => c.repeat(64);

test('file records: both formats read; the bare hash of a repository written before the records is what was written', () => {
  assert.equal(parseFileRecord(hash('a')), { written: hash('a') });
  assert.equal(parseFileRecord(`${hash('a')} ${hash('b')}`), { generated: hash('a'), written: hash('b'), accepted: undefined });
  assert.equal(parseFileRecord(`- ${hash('b')} deleted`), { generated: undefined, written: hash('b'), accepted: 'deleted' });
  for (const bad of ['', 'abc', `${hash('a')} nope`, `${hash('a')} ${hash('b')} ${hash('c')} extra`, 42]) assert.is(parseFileRecord(bad), undefined, String(bad));
  const record = { generated: hash('1'), written: hash('2'), accepted: hash('3') };
  assert.equal(parseFileRecord(formatFileRecord(record)), record);
  assert.equal([...readFileRecords({ 'b.txt': hash('b'), 'a.txt': 'not a record' })], [['b.txt', { written: hash('b') }]]);
});

test('generations: read as recorded; records of format 2 read as the preset\'s run, then the generators it does not have', () => {
  const presetGenerators = (name: string) => (name === 'web' ? ['repo', 'uwsgi'] : undefined);
  assert.equal(recordedGenerations({ generations: ['preset web', 'generators jenkins deploy'] }, presetGenerators), [{ preset: 'web' }, { generators: ['jenkins', 'deploy'] }]);
  assert.equal(recordedGenerations({ preset: 'web', generators: { repo: {}, uwsgi: {}, jenkins: {} } }, presetGenerators), [{ preset: 'web' }, { generators: ['jenkins'] }]);
  assert.equal(recordedGenerations({ preset: 'web', generators: { repo: {}, uwsgi: {} } }, presetGenerators), [{ preset: 'web' }]);
  // A preset no longer installed: its own generators are among the added ones (the same generators once composed).
  assert.equal(recordedGenerations({ preset: 'gone', generators: { repo: {}, jenkins: {} } }, presetGenerators), [{ preset: 'gone' }, { generators: ['repo', 'jenkins'] }]);
  assert.equal(recordedGenerations({ generators: { pipConfig: {}, jenkins: {} } }, presetGenerators), [{ generators: ['pipConfig', 'jenkins'] }]);
  assert.equal(recordedGenerations({}, presetGenerators), []);
  for (const bad of [['preset'], ['preset a b'], ['generators'], ['add x'], [42]]) assert.throws(() => recordedGenerations({ generations: bad as string[] }, presetGenerators), (error: unknown) => error instanceof UsageError && /"generations" holds/.test(error.message), JSON.stringify(bad));
  assert.throws(() => recordedGenerations({ generations: 'preset web' as never }, presetGenerators), (error: unknown) => error instanceof UsageError && /not a list/.test(error.message));
});

test('generations: a run is appended once, with only the generators no recorded generation has; a re-run records nothing new', () => {
  const recorded = [{ preset: 'web' }, { generators: ['jenkins'] }];
  const ofWeb = ['repo', 'uwsgi'];
  assert.equal(withGeneration(recorded, { generators: ['deploy'] }, ofWeb), ['preset web', 'generators jenkins', 'generators deploy']);
  assert.equal(withGeneration(recorded, { generators: ['jenkins'] }, ofWeb), ['preset web', 'generators jenkins']);
  assert.equal(withGeneration(recorded, { generators: ['uwsgi'] }, ofWeb), ['preset web', 'generators jenkins'], "a preset's generator added again");
  assert.equal(withGeneration(recorded, { generators: ['uwsgi', 'jenkins', 'deploy'] }, ofWeb), ['preset web', 'generators jenkins', 'generators deploy']);
  assert.equal(withGeneration(recorded, { preset: 'web' }, []), ['preset web', 'generators jenkins']);
  assert.equal(withGeneration(recorded, { preset: 'api' }, []), ['preset web', 'generators jenkins', 'preset api']);
  assert.equal(withGeneration([], { preset: 'web' }, []), ['preset web']);
});

test('required files: each path with the first generator that marks it', () => {
  const entry = (name: string, files?: string[]) => ({ name, schema: { ...schema(1, undefined), ...(files ? { 'x-required-files': files } : {}) } });
  assert.equal([...requiredFiles([entry('a', ['ops/runbook.md']), entry('b'), entry('c', ['ops/runbook.md', 'pip.conf'])])], [['ops/runbook.md', 'a'], ['pip.conf', 'c']]);
});

const schema = (version: number, migrations: GeneratorSchema['x-migrations']): GeneratorSchema => ({
  $id: 'pyrepo-generator://x',
  title: 'x',
  description: 'x',
  type: 'object',
  additionalProperties: false,
  properties: {},
  'x-version': version,
  'x-migrations': migrations,
});

test('answers migrate step by step: renamed, removed, added (an added option the user already set is not listed)', () => {
  const migrated = migrateAnswers('ops', schema(3, [{ to: 3, remove: ['legacy'], add: ['region'] }, { to: 2, rename: { owner: 'team' }, add: ['channel'] }]), { owner: 'web', legacy: true, region: 'eu' }, 1);
  assert.equal(migrated.answers, { team: 'web', region: 'eu' });
  assert.equal(migrated.renamed, [['owner', 'team']]);
  assert.equal(migrated.removed, ['legacy']);
  assert.equal(migrated.added, ['channel']);
  assert.equal(migrateAnswers('ops', schema(3, []), { a: 1 }, 3).answers, { a: 1 });
});

test('a missing migration step, or answers newer than the schema, is an error naming the generator', () => {
  assert.throws(() => migrateAnswers('ops', schema(3, [{ to: 2 }]), {}, 1), (error: Error) => error instanceof PyrepoError && /ops declares no migration of its answers to schema version 3/.test(error.message));
  assert.throws(() => migrateAnswers('ops', schema(1, []), {}, 2), (error: Error) => /newer than the installed one/.test(error.message));
});

test('the base snapshot: sorted, one file a line, within its bounds', () => {
  const big = 'x'.repeat(baseSnapshotLimits.file + 1);
  const text = formatBaseSnapshot(new Map([['b.txt', 'two\n'], ['a.txt', 'one\n'], ['big.txt', big]]));
  assert.is(text, '{\n"a.txt": "one\\n",\n"b.txt": "two\\n"\n}\n');
  const many = new Map(Array.from({ length: 40 }, (_, index) => [`f${String(index).padStart(2, '0')}`, 'y'.repeat(baseSnapshotLimits.file - 10)] as [string, string]));
  const kept = Object.keys(JSON.parse(formatBaseSnapshot(many)) as object);
  assert.ok(kept.length < 40 && kept.length * (baseSnapshotLimits.file - 10) <= baseSnapshotLimits.total, `${kept.length} kept`);
  assert.equal(kept, [...many.keys()].slice(0, kept.length));
});

test.run();
