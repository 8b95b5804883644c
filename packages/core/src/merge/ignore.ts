import { mergeRegions, withoutEach, type MergedLines, type MergeLabels } from './lines.js';

/**
 * Ignore files (.gitignore, .dockerignore) as sets of lines in yours's order: both sides'
 * additions (theirs's placed where theirs has them), both sides' removals; where both changed the
 * same lines, yours's lines less what theirs removed, then what theirs added. Never a conflict.
 * A line theirs removed goes wherever you have it; a line theirs added that you already have is
 * not added twice.
 */
export function mergeIgnoreLines(yours: string[], base: string[], theirs: string[], _labels: MergeLabels): MergedLines {
  const merged: string[] = [];
  for (const region of mergeRegions(yours, base, theirs)) {
    if ('ok' in region) merged.push(...region.ok);
    else {
      const { yours: mine, base: old, theirs: next } = region.conflict;
      merged.push(...withoutEach(mine, withoutEach(old, next)), ...withoutEach(withoutEach(next, old), mine));
    }
  }
  const theirsSet = new Set(theirs);
  const removedUpstream = new Set(base.filter(line => line.trim() !== '' && !theirsSet.has(line)));
  const yoursCount = new Map<string, number>();
  for (const line of yours) yoursCount.set(line, (yoursCount.get(line) ?? 0) + 1);
  const seen = new Set<string>();
  const lines = merged.filter(line => {
    if (line.trim() === '') return true;
    if (removedUpstream.has(line)) return false;
    // A second copy stays only when yours has it twice itself.
    if (seen.has(line) && (yoursCount.get(line) ?? 0) < 2) return false;
    seen.add(line);
    return true;
  });
  return { lines, conflicts: 0 };
}
