/**
 * YAML output for every rendered file. js-yaml, never a text template: values
 * such as the agent's bash script (with its literal `{{20..5}}`) must come out
 * exactly as given, and names can never break the document's structure.
 */
import yaml from 'js-yaml';

/**
 * A file a renderer produces, its path relative to the action's `targetPath`.
 *
 * @public
 */
export interface RenderedFile {
  path: string;
  content: string;
}

const DUMP_OPTIONS: yaml.DumpOptions = {
  lineWidth: -1,
  noRefs: true,
  sortKeys: false,
};

function commentBlock(header: readonly string[]): string {
  return header.map(line => (line ? `# ${line}` : '#')).join('\n');
}

/**
 * One YAML document, preceded by a comment header.
 *
 * @public
 */
export function renderYaml(
  value: unknown,
  header: readonly string[] = [],
): string {
  const body = yaml.dump(value, DUMP_OPTIONS);
  return header.length ? `${commentBlock(header)}\n${body}` : body;
}

/**
 * Several YAML documents in one stream (`---` between them), preceded by a comment header.
 *
 * @public
 */
export function renderYamlStream(
  values: readonly unknown[],
  header: readonly string[] = [],
): string {
  const body = values.map(v => yaml.dump(v, DUMP_OPTIONS)).join('---\n');
  return header.length ? `${commentBlock(header)}\n${body}` : body;
}

/**
 * Parses every document of a YAML stream (used by tests and by readers of rendered files).
 *
 * @public
 */
export function parseYamlStream(content: string): unknown[] {
  return yaml.loadAll(content).filter(doc => doc !== null && doc !== undefined);
}
