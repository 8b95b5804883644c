import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '@pyrepo/core';

/** generator-pyrepo's folder: built-in packages resolve from here. */
export const catalogDir = fileURLToPath(new URL('../..', import.meta.url));

/** The built-in generators and presets, recorded by scripts/build-catalog.mjs at build time. */
export const catalog = JSON.parse(readFileSync(new URL('../../catalog.json', import.meta.url), 'utf8')) as Catalog;
