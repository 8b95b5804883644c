import { normalizeName } from '../context.js';
import { requirementName, splitComment } from '../requirements.js';
import { conflictBlock, mergeLines, mergeRegions, withoutEach, type ConflictSides, type MergedLines, type MergeLabels } from './lines.js';

/** One requirement of a file: its line, and what it asks for with comment and spaces set aside. */
interface Entry {
  line: string;
  spec: string;
}

/** A requirement's identity in a file: its project and its environment marker (`numpy; python_version < "3.10"` and `numpy; ...>= "3.10"` are two). */
function entryKey(line: string): string | undefined {
  const name = requirementName(line);
  if (name === undefined) return undefined;
  const text = splitComment(line).text;
  const marker = text.includes(';') ? text.slice(text.indexOf(';') + 1).replace(/\s+/g, '') : '';
  return `${name};${marker}`;
}

/** What a requirement asks for, written one way: `Django == 5.2  # web` and `django==5.2` are the same. */
function specOf(line: string): string {
  const text = splitComment(line).text.trim();
  const name = /^[A-Za-z0-9._-]+/.exec(text)![0];
  return normalizeName(name) + text.slice(name.length).replace(/\s+/g, '');
}

/** Requirements by key; undefined when a key is there twice or a line continues on the next (pip-compile's hashes): merged line by line then. */
function entriesOf(lines: readonly string[]): Map<string, Entry> | undefined {
  const entries = new Map<string, Entry>();
  for (const line of lines) {
    if (/\\\s*$/.test(splitComment(line).text)) return undefined;
    const key = entryKey(line);
    if (key === undefined) continue;
    if (entries.has(key)) return undefined;
    entries.set(key, { line, spec: specOf(line) });
  }
  return entries;
}

// diff3 runs on tokens: a requirement is its key (so a version bump on one side does not move
// lines), with a mark when yours changed what it asks for (so that it is not dropped silently).
const requirementToken = '\u0000';
const changedMark = '\u0000*';

const isComment = (line: string) => line.trim() === '' || line.trimStart().startsWith('#');
const keyOfToken = (token: string) => (token.startsWith(requirementToken) ? token.slice(1).replace(changedMark, '') : undefined);
const sameEntry = (a: string, b: string) => a === b || (keyOfToken(a) !== undefined && keyOfToken(a) === keyOfToken(b));

type Piece = { line: string } | { conflict: ConflictSides };

/**
 * A requirements file merged by requirement: per project (and marker), yours unchanged takes
 * theirs's (with your comment), theirs unchanged keeps yours, both changed differently is a
 * conflict on that line only. Removed upstream: gone if you left it as it was, a conflict if you
 * changed it; removed by you: stays removed. Comments, options and order are yours; lines both
 * sides added at the same place are all kept (yours first). Options (`-r`, `--index-url`) changed
 * differently on both sides are a conflict around them.
 */
export function mergeRequirementsLines(yours: string[], base: string[], theirs: string[], labels: MergeLabels): MergedLines {
  const pieces = mergeRequirementPieces(yours, base, theirs);
  if (pieces === undefined) return mergeLines(yours, base, theirs, labels);
  const lines: string[] = [];
  let conflicts = 0;
  for (const piece of pieces) {
    if ('line' in piece) lines.push(piece.line);
    else {
      conflicts++;
      lines.push(...conflictBlock(piece.conflict, labels));
    }
  }
  return { lines, conflicts };
}

/** The requirement merge as lines and conflicts (also for TOML dependency arrays); undefined when the files cannot be merged by requirement. */
export function mergeRequirementPieces(yours: readonly string[], base: readonly string[], theirs: readonly string[]): Piece[] | undefined {
  const [mine, old, next] = [entriesOf(yours), entriesOf(base), entriesOf(theirs)];
  if (!mine || !old || !next) return undefined;
  const tokens = (lines: readonly string[], marks: boolean) =>
    lines.map(line => {
      const key = entryKey(line);
      if (key === undefined) return line;
      const changed = marks && old.has(key) && old.get(key)!.spec !== mine.get(key)!.spec;
      return `${requirementToken}${key}${changed ? changedMark : ''}`;
    });

  const sequence: Array<string | { conflict: ConflictSides }> = [];
  for (const region of mergeRegions(tokens(yours, true), tokens(base, false), tokens(theirs, false))) {
    if ('ok' in region) {
      sequence.push(...region.ok);
      continue;
    }
    const { conflict } = region;
    const all = [...conflict.yours, ...conflict.base, ...conflict.theirs];
    const options = all.filter(token => keyOfToken(token) === undefined && !isComment(token));
    const everywhere = (token: string) => conflict.yours.includes(token) && conflict.base.includes(token) && conflict.theirs.includes(token);
    if (options.every(everywhere)) {
      // Requirements and comments: yours less what theirs removed (unless you changed it), then what theirs added.
      const removed = withoutEach(conflict.base, conflict.theirs, sameEntry);
      const added = withoutEach(withoutEach(conflict.theirs, conflict.base, sameEntry), conflict.yours, sameEntry);
      sequence.push(...withoutEach(conflict.yours, removed), ...added);
    } else {
      sequence.push({
        conflict: {
          yours: yours.slice(conflict.yoursStart, conflict.yoursStart + conflict.yours.length),
          base: base.slice(conflict.baseStart, conflict.baseStart + conflict.base.length),
          theirs: theirs.slice(conflict.theirsStart, conflict.theirsStart + conflict.theirs.length),
        },
      });
    }
  }

  const pieces: Piece[] = [];
  const placed = new Set<string>();
  for (const item of sequence) {
    if (typeof item !== 'string') pieces.push(item);
    else {
      const key = keyOfToken(item);
      if (key === undefined) pieces.push({ line: item });
      else if (!placed.has(key)) {
        placed.add(key);
        const piece = mergeEntry(mine.get(key), old.get(key), next.get(key));
        if (piece) pieces.push(piece);
      }
    }
  }
  return pieces;
}

/** One requirement's line after the merge; undefined when it goes. */
function mergeEntry(mine: Entry | undefined, old: Entry | undefined, next: Entry | undefined): Piece | undefined {
  if (mine === undefined) return old === undefined && next ? { line: next.line } : undefined;
  if (next === undefined) {
    if (old === undefined) return { line: mine.line };
    return mine.spec === old.spec ? undefined : { conflict: { yours: [mine.line], base: [old.line], theirs: [] } };
  }
  if (mine.spec === next.spec || next.spec === old?.spec) return { line: mine.line };
  if (mine.spec === old?.spec) return { line: withRequirementOf(mine.line, next.line) };
  return { conflict: { yours: [mine.line], base: old ? [old.line] : [], theirs: [next.line] } };
}

/** Your line asking for what theirs asks for: your indentation and comment kept (theirs's comment when you have none). */
function withRequirementOf(mine: string, next: string): string {
  const yours = splitComment(mine);
  const theirs = splitComment(next);
  const indent = /^\s*/.exec(mine)![0];
  return `${indent}${theirs.text.trim()}${yours.comment || theirs.comment}`;
}
