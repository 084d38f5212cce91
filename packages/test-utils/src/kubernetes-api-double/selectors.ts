/**
 * Label and field selectors, in the syntax `kubectl -l` / `--field-selector`
 * and the API's `labelSelector` / `fieldSelector` query parameters use.
 */
import { badRequest } from './status';

type Labels = Record<string, string>;
type LabelRequirement = (labels: Labels) => boolean;

/** Splits on commas that are not inside `in (...)` value sets. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

function parseLabelRequirement(text: string): LabelRequirement {
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map(v => v.trim());
    return op === 'in'
      ? labels => key in labels && values.includes(labels[key])
      : labels => !(key in labels) || !values.includes(labels[key]);
  }
  m = /^([^\s!=]+)\s*(!=|==|=)\s*([^\s]*)$/.exec(text);
  if (m) {
    const [, key, op, value] = m;
    return op === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  m = /^!\s*([^\s!=]+)$/.exec(text);
  if (m) return labels => !(m![1] in labels);
  m = /^([^\s!=()]+)$/.exec(text);
  if (m) return labels => m![1] in labels;
  throw badRequest(`unable to parse requirement: ${JSON.stringify(text)}`);
}

export function matchesLabelSelector(
  selector: string | undefined,
  labels: Labels | undefined,
): boolean {
  if (!selector) return true;
  const requirements = splitTopLevel(selector).map(parseLabelRequirement);
  return requirements.every(r => r(labels ?? {}));
}

function fieldValue(obj: unknown, path: string): string {
  let current: any = obj;
  for (const key of path.split('.')) {
    current = current?.[key];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** Field selectors compare dotted paths (`metadata.name`, `involvedObject.name`, `status.phase`) as strings. */
export function matchesFieldSelector(
  selector: string | undefined,
  obj: unknown,
): boolean {
  if (!selector) return true;
  return splitTopLevel(selector).every(term => {
    const m = /^([A-Za-z0-9_.]+)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    const [, path, op, value] = m;
    const actual = fieldValue(obj, path);
    return op === '!=' ? actual !== value : actual === value;
  });
}
