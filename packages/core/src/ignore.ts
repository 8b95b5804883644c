/** Append the ignore patterns a file lacks, under a heading; the user's lines stay as they are. */
export function appendIgnoreLines(text: string, lines: readonly string[], heading: string): string {
  const present = new Set(text.split('\n').map(line => line.trim()));
  const missing = [...new Set(lines)].filter(line => !present.has(line.trim()));
  if (missing.length === 0) return text;
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const separator = base.trim() === '' ? '' : '\n';
  return `${base}${separator}# ${heading}\n${missing.join('\n')}\n`;
}
