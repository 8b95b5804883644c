import * as core from '@pyrepo/core';
import { createPlanGenerator, type PlanTarget } from '@pyrepo/core';
import { catalog, catalogDir } from './catalog.js';

// Team generators yo runs import @pyrepo/core from their own install; its entry hands them this one.
(globalThis as Record<symbol, unknown>)[Symbol.for('pyrepo.bundledCore')] ??= core;

/** The class behind one `yo pyrepo:<name>` namespace (the stubs in generators/ are built from the catalog). */
export function pyrepoGenerator(target: PlanTarget) {
  return createPlanGenerator(target, { catalog, catalogDir });
}
