import { createPlanGenerator, type PlanTarget } from '@pyrepo/core';
import { catalog, catalogDir } from './catalog.js';

/** The class behind one `yo pyrepo:<name>` namespace (the stubs in generators/ are built from the catalog). */
export function pyrepoGenerator(target: PlanTarget) {
  return createPlanGenerator(target, { catalog, catalogDir });
}
