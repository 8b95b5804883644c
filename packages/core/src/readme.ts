/** A README section a generator contributes. */
export interface ReadmeSection {
  /** Stable id: the section's markers carry it, so a re-run finds it. */
  id: string;
  title: string;
  /** Markdown body, without the title. */
  body: string;
}

const begin = (id: string) => `<!-- pyrepo:begin ${id} -->`;
const end = (id: string) => `<!-- pyrepo:end ${id} -->`;
/** A line that opens or closes a section pyrepo owns: the kind and the section's id. */
export const readmeSectionMarker = /^<!-- pyrepo:(begin|end) (\S+) -->$/;

/**
 * Add a section between pyrepo markers unless one with its id is there already.
 * A section already present is left as the user keeps it, edited or not.
 */
export function addReadmeSection(text: string | undefined, section: ReadmeSection, projectTitle: string): string {
  const rendered = `${begin(section.id)}\n## ${section.title}\n\n${section.body.trim()}\n${end(section.id)}\n`;
  if (text === undefined || text.trim() === '') return `# ${projectTitle}\n\n${rendered}`;
  if (text.includes(begin(section.id))) return text;
  const base = text.endsWith('\n') ? text : `${text}\n`;
  return `${base}\n${rendered}`;
}
