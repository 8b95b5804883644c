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

// diff3 runs on tokens: a requirement is its key, plus what it asks for when that differs from
// the base. A bump is so a change of its own line (next to other changes it is resolved by key
// below), the same bump on both sides is the same token, and a requirement you changed is not
// dropped silently when theirs removes it.
const requirementToken = '\u0000';

/**
 * Requirements by key; undefined when a key is there twice, a line continues on the next
 * (pip-compile's hashes) or starts like a token: merged line by line then.
 */
function entriesOf(lines: readonly string[]): Map<string, Entry> | undefined {
  const entries = new Map<string, Entry>();
  for (const line of lines) {
    if (line.startsWith(requirementToken) || /\\\s*$/.test(splitComment(line).text)) return undefined;
    const key = entryKey(line);
    if (key === undefined) continue;
    if (entries.has(key)) return undefined;
    entries.set(key, { line, spec: specOf(line) });
  }
  return entries;
}

const isComment = (line: string) => line.trim() === '' || line.trimStart().startsWith('#');
const isOption = (token: string) => !token.startsWith(requirementToken) && !isComment(token);
const keyOfToken = (token: string) => (token.startsWith(requirementToken) ? token.split(requirementToken)[1] : undefined);
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
  const tokens = (lines: readonly string[], entries: Map<string, Entry>) =>
    lines.map(line => {
      const key = entryKey(line);
      if (key === undefined) return line;
      const spec = entries.get(key)!.spec;
      const changed = old.has(key) && old.get(key)!.spec !== spec;
      return `${requirementToken}${key}${changed ? `${requirementToken}${spec}` : ''}`;
    });

  const sequence: Array<string | { conflict: ConflictSides }> = [];
  for (const region of mergeRegions(tokens(yours, mine), tokens(base, old), tokens(theirs, next))) {
    if ('ok' in region) {
      sequence.push(...region.ok);
      continue;
    }
    // Requirements and comments: yours less what theirs removed (unless you changed it), then what
    // theirs added. Options (-r, --index-url: the token is the line) changed differently on both
    // sides are a conflict of their own, before the rest of the region.
    const sides = region.conflict;
    const options = (tokens: string[]) => tokens.filter(isOption).join('\n');
    const [mineOptions, oldOptions, nextOptions] = [options(sides.yours), options(sides.base), options(sides.theirs)];
    const optionConflict = mineOptions !== nextOptions && mineOptions !== oldOptions && nextOptions !== oldOptions;
    const rest = (tokens: string[]) => (optionConflict ? tokens.filter(token => !isOption(token)) : tokens);
    if (optionConflict) sequence.push({ conflict: { yours: sides.yours.filter(isOption), base: sides.base.filter(isOption), theirs: sides.theirs.filter(isOption) } });
    const [mineRest, oldRest, nextRest] = [rest(sides.yours), rest(sides.base), rest(sides.theirs)];
    sequence.push(...withoutEach(mineRest, withoutEach(oldRest, nextRest, sameEntry)), ...withoutEach(withoutEach(nextRest, oldRest, sameEntry), mineRest, sameEntry));
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
