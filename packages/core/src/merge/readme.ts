import { readmeSectionMarker } from '../readme.js';
import { conflictBlock, mergeLines, type MergedLines, type MergeLabels } from './lines.js';

/** A section pyrepo owns: its marker lines as written and what is between them. */
interface Section {
  id: string;
  begin: string;
  body: string[];
  end: string;
}

type Segment = { line: string } | { section: Section };

/** A README as the user's lines and pyrepo's sections; undefined when markers are unpaired, nested or an id is there twice. */
function segmentsOf(lines: readonly string[]): Segment[] | undefined {
  const segments: Segment[] = [];
  const ids = new Set<string>();
  let open: Section | undefined;
  for (const line of lines) {
    const marker = readmeSectionMarker.exec(line.trim());
    if (!marker) {
      if (open) open.body.push(line);
      else segments.push({ line });
    } else if (marker[1] === 'begin') {
      if (open || ids.has(marker[2]!)) return undefined;
      ids.add(marker[2]!);
      open = { id: marker[2]!, begin: line, body: [], end: '' };
    } else {
      if (!open || open.id !== marker[2]) return undefined;
      open.end = line;
      segments.push({ section: open });
      open = undefined;
    }
  }
  return open ? undefined : segments;
}

const sectionsOf = (segments: readonly Segment[]) => new Map(segments.flatMap(segment => ('section' in segment ? [[segment.section.id, segment.section] as const] : [])));
const linesOf = (section: Section) => [section.begin, ...section.body, section.end];
const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, index) => line === b[index]);

/**
 * A README merged per pyrepo section (between `<!-- pyrepo:begin id -->` and `<!-- pyrepo:end id -->`):
 * your text outside them stays exactly as it is; each section's body merged line by line; a
 * section new upstream goes after the section theirs has before it (else at the end); one removed
 * upstream goes if you left it as it was, else conflicts; one you removed stays removed. Markers
 * that do not pair up: the file is merged line by line.
 */
export function mergeReadmeSections(yours: string[], base: string[], theirs: string[], labels: MergeLabels): MergedLines {
  const [mine, old, next] = [segmentsOf(yours), segmentsOf(base), segmentsOf(theirs)];
  if (!mine || !old || !next) return mergeLines(yours, base, theirs, labels);
  const [oldSections, nextSections, mineSections] = [sectionsOf(old), sectionsOf(next), sectionsOf(mine)];
  const items: Array<{ id?: string; lines: string[] }> = [];
  let conflicts = 0;
  let dropBlank = false;
  for (const segment of mine) {
    if ('line' in segment) {
      if (!(dropBlank && segment.line.trim() === '')) items.push({ lines: [segment.line] });
      dropBlank = false;
      continue;
    }
    const { section } = segment;
    const [before, after] = [oldSections.get(section.id), nextSections.get(section.id)];
    if (after === undefined && before !== undefined) {
      if (sameLines(section.body, before.body)) {
        // Removed upstream and untouched: it goes, with the blank line that separated it.
        items.push({ id: section.id, lines: [] });
        dropBlank = true;
        continue;
      }
      conflicts++;
      items.push({ id: section.id, lines: conflictBlock({ yours: linesOf(section), base: linesOf(before), theirs: [] }, labels) });
    } else if (after === undefined) {
      items.push({ id: section.id, lines: linesOf(section) });
    } else {
      const body = mergeLines(section.body, before?.body ?? [], after.body, labels);
      conflicts += body.conflicts;
      items.push({ id: section.id, lines: [section.begin, ...body.lines, section.end] });
    }
    dropBlank = false;
  }

  const order = next.flatMap(segment => ('section' in segment ? [segment.section.id] : []));
  order.forEach((id, position) => {
    if (mineSections.has(id) || oldSections.has(id)) return;
    const lines = linesOf(nextSections.get(id)!);
    const previous = order.slice(0, position).reverse().find(other => items.some(item => item.id === other));
    const following = order.slice(position + 1).find(other => items.some(item => item.id === other));
    if (previous !== undefined) items.splice(items.findIndex(item => item.id === previous) + 1, 0, { id, lines: ['', ...lines] });
    else if (following !== undefined) items.splice(items.findIndex(item => item.id === following), 0, { id, lines: [...lines, ''] });
    else items.push({ id, lines: items.length > 0 ? ['', ...lines] : lines });
  });
  return { lines: items.flatMap(item => item.lines), conflicts };
}
