/**
 * Small Markdown, HTML and shell helpers that keep user text from breaking
 * GitHub's rendering or a reviewer's shell. Every value from a form goes
 * through one of them, validated or not.
 */

/** One line: control characters (newlines included) become spaces. */
function oneLine(value: string): string {
  return [...value]
    .map(c => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('');
}

/**
 * Inline code, fenced with enough backticks for the text it holds. Code spans render no HTML and no Markdown.
 *
 * @public
 */
export function code(value: string): string {
  const line = oneLine(value);
  const longest = Math.max(
    0,
    ...(line.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** Text for raw HTML (attribute values included): entities for & < > " '. */
export function html(value: string): string {
  return oneLine(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Plain text for a table cell, a list item or a sentence: one line, HTML as
 * entities, and every other Markdown punctuation backslash-escaped, so no
 * value starts a heading, a link, emphasis, a mention or a new column.
 *
 * @public
 */
export function text(value: string): string {
  return (
    oneLine(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_{}[\]()!|~@]/g, c => `\\${c}`)
      // What starts a block only at the start of a line: a heading, a list item, a setext underline.
      .replace(
        /^(\s*)([#+\-=]|\d+[.)])/,
        (_m, space: string, mark: string) =>
          `${space}${mark.replace(/[#+\-=.)]$/, c => `\\${c}`)}`,
      )
  );
}

/** A GitHub-flavoured Markdown table. Cells are expected to be escaped already. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) =>
    `| ${cells.map(c => c.replace(/\|/g, (m, i, s) => (s[i - 1] === '\\' ? m : '\\|'))).join(' | ')} |`;
  return [
    line(header),
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * One shell word, single-quoted ('…'), even for a validated value. A quote
 * inside becomes '\''; a control character becomes $'\xNN', so the word never
 * spans lines (and never ends the code block it is printed in).
 */
export function shellQuote(value: string): string {
  let quoted = "'";
  for (const c of value) {
    const n = c.charCodeAt(0);
    if (c === "'") quoted += "'\\''";
    else if (n < 0x20 || n === 0x7f)
      quoted += `'$'\\x${n.toString(16).padStart(2, '0')}''`;
    else quoted += c;
  }
  return `${quoted}'`;
}

/** A fenced code block whose fence is longer than any backtick run in its lines. */
export function fencedBlock(
  language: string,
  lines: string[],
  indent = '',
): string {
  const longest = Math.max(
    2,
    ...lines.flatMap(l => l.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longest + 1);
  return [
    `${indent}${fence}${language}`,
    ...lines.map(l => `${indent}${l}`),
    `${indent}${fence}`,
  ].join('\n');
}
