import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usePrecompiledValidators, type Catalog } from '@pyrepo/core/host';
import { catalog as builtCatalog } from 'generator-pyrepo/built-catalog';
import * as builtValidators from 'generator-pyrepo/built-validators';

/** generator-pyrepo's folder: built-in packages resolve from here (resolved by name, so a bundle finds it too). */
export const catalogDir = dirname(fileURLToPath(import.meta.resolve('generator-pyrepo/package.json')));

/** The built-in generators and presets, recorded by scripts/build-catalog.mjs at build time. */
export const catalog: Catalog = builtCatalog;

// Built-in schemas (and core's) are validated by code compiled at build time.
usePrecompiledValidators(builtValidators.schemas, builtValidators as Record<string, unknown>);
