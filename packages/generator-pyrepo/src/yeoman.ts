import * as core from '@pyrepo/core';
import { createPlanGenerator, shareCore, type PlanTarget } from '@pyrepo/core';
import { catalog, catalogDir } from './catalog.js';

// Team generators yo runs import @pyrepo/core from their own install: they get this one.
shareCore(core);

/** The class behind one `yo pyrepo:<name>` namespace (the stubs in generators/ are built from the catalog). */
export function pyrepoGenerator(target: PlanTarget) {
  return createPlanGenerator(target, { catalog, catalogDir });
}
