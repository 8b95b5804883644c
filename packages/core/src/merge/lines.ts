import { diff3Merge } from 'node-diff3';

/** What the three sides of a conflict are called in its markers. */
export interface MergeLabels {
  yours: string;
  base: string;
  theirs: string;
}

/** A merged file as lines (conflict markers included) and how many conflicts it holds. */
export interface MergedLines {
  lines: string[];
  conflicts: number;
}

/** The three sides of one conflict. */
export interface ConflictSides<T = string> {
  yours: T[];
  base: T[];
  theirs: T[];
}

/** A region of a three-way merge: what both sides agree on (or only one changed), or a conflict with where each side's part starts. */
export type MergeRegion<T> = { ok: T[] } | { conflict: ConflictSides<T> & { yoursStart: number; baseStart: number; theirsStart: number } };

/**
 * diff3 of three sequences of strings (node-diff3): regions in order, a change made the same on
 * both sides is no conflict. Changes that touch (no unchanged element between them) are one region.
 */
export function mergeRegions(yours: readonly string[], base: readonly string[], theirs: readonly string[]): MergeRegion<string>[] {
  return diff3Merge<string>([...yours], [...base], [...theirs], { excludeFalseConflicts: true }).map(region =>
    region.conflict
      ? {
          conflict: {
            yours: region.conflict.a,
            base: region.conflict.o,
            theirs: region.conflict.b,
            yoursStart: region.conflict.aIndex,
            baseStart: region.conflict.oIndex,
            theirsStart: region.conflict.bIndex,
          },
        }
      : { ok: region.ok ?? [] },
  );
}

/** git's diff3-style conflict: yours, the base section, theirs, each marker labelled. */
export function conflictBlock(sides: ConflictSides, labels: MergeLabels): string[] {
  return [`<<<<<<< ${labels.yours}`, ...sides.yours, `||||||| ${labels.base}`, ...sides.base, '=======', ...sides.theirs, `>>>>>>> ${labels.theirs}`];
}

/** The line-based three-way merge: what each side changed, conflicts where both changed the same lines. */
export function mergeLines(yours: readonly string[], base: readonly string[], theirs: readonly string[], labels: MergeLabels): MergedLines {
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of mergeRegions(yours, base, theirs)) {
    if ('ok' in region) lines.push(...region.ok);
    else {
      conflicts++;
      lines.push(...conflictBlock(region.conflict, labels));
    }
  }
  return { lines, conflicts };
}

/** Yours against theirs without a base: what they share at both ends, one conflict around what differs between. */
export function differingRegionConflict(yours: readonly string[], theirs: readonly string[], labels: MergeLabels): MergedLines {
  let start = 0;
  while (start < yours.length && start < theirs.length && yours[start] === theirs[start]) start++;
  let end = 0;
  while (end < yours.length - start && end < theirs.length - start && yours[yours.length - 1 - end] === theirs[theirs.length - 1 - end]) end++;
  if (start === yours.length && start === theirs.length) return { lines: [...yours], conflicts: 0 };
  const sides = { yours: yours.slice(start, yours.length - end), base: [], theirs: theirs.slice(start, theirs.length - end) };
  return { lines: [...yours.slice(0, start), ...conflictBlock(sides, labels), ...yours.slice(yours.length - end)], conflicts: 1 };
}

/**
 * Remove from `items` one occurrence of each of `removed`, keeping the order of the rest.
 * Multiset difference: two blank lines less one is one.
 */
export function withoutEach(items: readonly string[], removed: readonly string[], same: (a: string, b: string) => boolean = (a, b) => a === b): string[] {
  const result = [...items];
  for (const item of removed) {
    const index = result.findIndex(candidate => same(candidate, item));
    if (index !== -1) result.splice(index, 1);
  }
  return result;
}
