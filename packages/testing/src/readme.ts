import { lexer, walkTokens, type Tokens } from 'marked';

/** A section pyrepo writes into a README, between `<!-- pyrepo:begin ID -->` and `<!-- pyrepo:end ID -->`. */
export function readmeSection(readme: string, id: string): string {
  const begin = readme.indexOf(`<!-- pyrepo:begin ${id} -->`);
  const end = readme.indexOf(`<!-- pyrepo:end ${id} -->`);
  if (begin < 0 || end < begin) throw new Error(`The README has no section ${id}`);
  return readme.slice(begin, end);
}

/** The fenced code blocks of a Markdown text (in lists too), in order, optionally of one language only. */
export function fencedBlocks(markdown: string, lang?: string): string[] {
  const blocks: string[] = [];
  walkTokens(lexer(markdown), token => {
    if (token.type === 'code' && (token as Tokens.Code).codeBlockStyle !== 'indented' && (lang === undefined || (token as Tokens.Code).lang === lang)) blocks.push((token as Tokens.Code).text);
  });
  return blocks;
}

/** The inline code of a Markdown table's row whose first cell is `label` (a README's "Task | Command" table). */
export function tableCommand(markdown: string, label: string): string | undefined {
  let command: string | undefined;
  walkTokens(lexer(markdown), token => {
    if (token.type !== 'table' || command !== undefined) return;
    const row = (token as Tokens.Table).rows.find(cells => cells[0]?.text === label);
    const code = row?.slice(1).flatMap(cell => cell.tokens).find(inline => inline.type === 'codespan') as Tokens.Codespan | undefined;
    // The lexer keeps HTML escapes in code spans (&amp;&amp;); the shell needs the characters.
    if (code) command = code.text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
  });
  return command;
}
