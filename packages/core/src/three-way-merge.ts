import { fileNames } from './file-names.js';
import { mergeIgnoreLines } from './merge/ignore.js';
import { differingRegionConflict, mergeLines, type MergedLines, type MergeLabels } from './merge/lines.js';
import { mergeReadmeSections } from './merge/readme.js';
import { mergeRequirementsLines } from './merge/requirements.js';
import { mergeTomlLines } from './merge/toml.js';
import { isRequirementsPath } from './requirements.js';

export type { MergeLabels } from './merge/lines.js';

/** How a file is merged: by package name, by TOML key, as a set of lines, per README section, or line by line. */
export type MergeStrategy = 'requirements' | 'toml' | 'ignore' | 'readme-sections' | 'lines';

export interface ThreeWayInput {
  /** Repository-relative path (with `/`): picks the strategy. */
  path: string;
  /** What the recorded versions generated; undefined when no base is known. */
  base: string | undefined;
  /** The file on disk. It must hold no conflict markers (see conflictMarkersIn). */
  yours: string;
  /** What the new versions generate. */
  theirs: string;
  /** Names for the conflict markers, e.g. 'yours', 'pyrepo 1.2.0', 'pyrepo 1.3.0'. */
  labels: MergeLabels;
}

export interface ThreeWayResult {
  /** The merged text; with diff3-style conflict markers (base section included) when conflicts > 0. */
  text: string;
  conflicts: number;
  /** The path's strategy; a file it cannot read (TOML that does not parse, README markers that do not pair up, requirements with continued lines) was merged line by line. */
  strategy: MergeStrategy;
  /**
   * unchanged: yours already says what theirs says (text is yours); fast-forward: only the new
   * version changed the file (text is theirs, in your line endings); kept: only you changed it
   * (text is yours, byte for byte); merged: both changed it, without conflict; conflict: markers.
   */
  outcome: 'unchanged' | 'fast-forward' | 'kept' | 'merged' | 'conflict';
}

const ignoreFile = /(^|\/)(\.gitignore|\.dockerignore|[^/]+\.dockerignore)$/;

/** The strategy a file is merged with, by its path. */
export function strategyFor(path: string): MergeStrategy {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isRequirementsPath(path)) return 'requirements';
  if (name.endsWith('.toml') || name === 'Pipfile') return 'toml';
  if (ignoreFile.test(path)) return 'ignore';
  if ((fileNames.readme as readonly string[]).includes(path)) return 'readme-sections';
  return 'lines';
}

type LineMerge = (yours: string[], base: string[], theirs: string[], labels: MergeLabels) => MergedLines;

const strategies: Record<MergeStrategy, LineMerge> = {
  requirements: mergeRequirementsLines,
  toml: mergeTomlLines,
  ignore: mergeIgnoreLines,
  'readme-sections': mergeReadmeSections,
  lines: mergeLines,
};

/** What a text looks like apart from its lines: line endings, final newline, byte-order mark. */
interface TextStyle {
  crlf: boolean;
  finalNewline: boolean;
  bom: boolean;
}

function styleOf(text: string): TextStyle {
  let crlf = 0;
  let lf = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (text[index - 1] === '\r') crlf++;
    else lf++;
  }
  return { crlf: crlf > lf, finalNewline: text === '' || text.endsWith('\n'), bom: text.startsWith('\uFEFF') };
}

/** Each trait as yours has it when you changed it from the base, else as theirs has it (a template that starts ending files with a newline is followed). */
function mergedStyle(yours: string, base: string | undefined, theirs: string): TextStyle {
  const [mine, old, next] = [styleOf(yours), base === undefined ? undefined : styleOf(base), styleOf(theirs)];
  const pick = <K extends keyof TextStyle>(key: K): TextStyle[K] => {
    if (yours === '') return next[key];
    return old === undefined || mine[key] !== old[key] ? mine[key] : next[key];
  };
  return { crlf: pick('crlf'), finalNewline: pick('finalNewline'), bom: pick('bom') };
}

/** Lines of a text with its line endings, final newline and byte-order mark set aside. */
function linesOf(text: string): string[] {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const plain = withoutBom.includes('\r') ? withoutBom.replace(/\r\n/g, '\n') : withoutBom;
  if (plain === '') return [];
  return (plain.endsWith('\n') ? plain.slice(0, -1) : plain).split('\n');
}

function render(lines: readonly string[], style: TextStyle): string {
  if (lines.length === 0) return '';
  const text = lines.join('\n') + (style.finalNewline ? '\n' : '');
  return (style.bom ? '\uFEFF' : '') + (style.crlf ? text.replace(/\n/g, '\r\n') : text);
}

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, index) => line === b[index]);

/**
 * Merge the file on disk (yours) with what the new versions generate (theirs), given what the
 * recorded versions generated (base): yours = base takes theirs, theirs = base keeps yours,
 * otherwise the path's strategy merges both sides' changes. Line endings, the final newline and
 * a byte-order mark are set aside before comparing; the result has yours (unless only theirs
 * changed them).
 * Without a base, differing texts are one conflict around what differs. Pure: no I/O.
 */
export function mergeThreeWay(input: ThreeWayInput): ThreeWayResult {
  const strategy = strategyFor(input.path);
  const labels = { yours: oneLine(input.labels.yours), base: oneLine(input.labels.base), theirs: oneLine(input.labels.theirs) };
  // Byte-equal sides first: most files of an update take one of these.
  if (input.yours === input.theirs) return { text: input.yours, conflicts: 0, strategy, outcome: 'unchanged' };
  if (input.theirs === input.base) return { text: input.yours, conflicts: 0, strategy, outcome: 'kept' };
  if (input.yours === input.base) return { text: input.theirs, conflicts: 0, strategy, outcome: 'fast-forward' };
  const [yours, theirs] = [linesOf(input.yours), linesOf(input.theirs)];
  if (sameLines(yours, theirs)) return { text: input.yours, conflicts: 0, strategy, outcome: 'unchanged' };
  const style = mergedStyle(input.yours, input.base, input.theirs);
  if (input.base === undefined) {
    const merged = differingRegionConflict(yours, theirs, { ...labels, base: `${labels.base} (base unknown)` });
    return { text: render(merged.lines, style), conflicts: merged.conflicts, strategy, outcome: 'conflict' };
  }
  const base = linesOf(input.base);
  if (sameLines(yours, base)) return { text: render(theirs, style), conflicts: 0, strategy, outcome: 'fast-forward' };
  if (sameLines(theirs, base)) return { text: input.yours, conflicts: 0, strategy, outcome: 'kept' };
  const merged = strategies[strategy](yours, base, theirs, labels);
  return { text: render(merged.lines, style), conflicts: merged.conflicts, strategy, outcome: merged.conflicts > 0 ? 'conflict' : 'merged' };
}

function oneLine(label: string): string {
  return label.replace(/[\r\n]+/g, ' ').trim();
}

const openOrClose = /^(<{7}|>{7}|\|{7})( |$)/;
const separator = /^={7}\s*$/;

/**
 * 1-based numbers of the lines that are conflict markers. A bare `=======` counts only in a file
 * with other markers: alone it is a Markdown or reStructuredText underline.
 */
export function conflictMarkersIn(text: string): number[] {
  const lines = text.split('\n').map(line => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const marked = lines.flatMap((line, index) => (openOrClose.test(line) ? [index + 1] : []));
  if (marked.length === 0) return [];
  const separators = lines.flatMap((line, index) => (separator.test(line) ? [index + 1] : []));
  return [...marked, ...separators].sort((a, b) => a - b);
}
