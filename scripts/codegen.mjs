// Regenerates what derives from each generator's schema.json: src/options.ts and the README options table.
// The conformance test fails when either drifts; run `pnpm codegen` after editing a schema.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOptionsType, withOptionsTable } from '../packages/core/dist/src/schema-docs.js';

const root = join(import.meta.dirname, '..', 'packages', 'generators');
for (const name of readdirSync(root)) {
  const dir = join(root, name);
  if (!existsSync(join(dir, 'schema.json'))) continue;
  const schema = JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'));
  writeFileSync(join(dir, 'src', 'options.ts'), renderOptionsType(schema));
  const readme = join(dir, 'README.md');
  writeFileSync(readme, withOptionsTable(readFileSync(readme, 'utf8'), schema));
  console.log(`codegen: ${name}`);
}
