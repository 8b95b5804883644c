import { checkRepositories } from '@pyrepo/testing';
import { readdirSync } from 'node:fs';
const t = performance.now();
const dirs = readdirSync('/tmp/inv').map(d => '/tmp/inv/' + d);
console.log(checkRepositories(dirs));
console.log((performance.now() - t).toFixed(0), 'ms');
