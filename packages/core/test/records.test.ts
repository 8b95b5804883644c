import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PyrepoError, baseSnapshotLimits, formatBaseSnapshot, formatFileRecord, migrateAnswers, parseFileRecord, readFileRecords, type GeneratorSchema } from '../src/index.js';

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
