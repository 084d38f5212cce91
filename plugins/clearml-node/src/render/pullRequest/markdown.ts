/** Small Markdown helpers that keep user text from breaking GitHub's rendering. */

/** Inline code, fenced with enough backticks for the text it holds. */
export function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value.replace(/\r?\n/g, ' ')}${pad}${fence}`;
}

/** Plain text for a table cell or a list item: one line, no raw HTML, no column breaks. */
export function text(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/** A GitHub-flavoured Markdown table. Cells are expected to be escaped already. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(c => c.replace(/\|/g, (m, i, s) => (s[i - 1] === '\\' ? m : '\\|'))).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
