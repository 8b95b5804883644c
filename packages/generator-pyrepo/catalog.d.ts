// Types of catalog.js, which scripts/build-catalog.mjs generates at build time.
import type { Catalog } from '@pyrepo/core/host';

export declare const catalog: Catalog;
