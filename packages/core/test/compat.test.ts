import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coreVersion, newestForThisCore } from '../src/compat.js';

const [major, minor] = coreVersion.split('.').map(Number) as [number, number];
const thisCore = `^${major}.${minor}.0`;
const nextCore = `^${major + 1}.0.0`;

test('newestForThisCore: the highest version this core can run, whatever order the registry lists them in; none when every newer one needs another core', () => {
  const listed = [
    { version: '1.10.0', peerDependencies: { '@pyrepo/core': thisCore } },
    { version: '3.0.0', peerDependencies: { '@pyrepo/core': nextCore } },
    { version: '2.0.0', peerDependencies: { '@pyrepo/core': thisCore } },
    { version: '1.9.0', dependencies: { '@pyrepo/core': thisCore } },
  ];
  assert.is(newestForThisCore(listed), '2.0.0');
  assert.is(newestForThisCore([{ version: '3.0.0', peerDependencies: { '@pyrepo/core': nextCore } }, { version: '4.0.0', peerDependencies: { '@pyrepo/core': 'not a range' } }]), undefined);
  assert.is(newestForThisCore([]), undefined);
  // No range at all: loaded like any package, so it counts.
  assert.is(newestForThisCore([{ version: '1.1.0' }]), '1.1.0');
});

test.run();
