/**
 * Reading a settings record back from the repository: untrusted text (anyone who can push there can edit it), held
 * to the template's rules, every problem naming its field.
 */
import yaml from 'js-yaml';
import { tenantInputProblems } from './tenant';
import { TENANT_SETTINGS_FILE } from './tenantDay2';
import {
  canonical,
  NESTED_FIELDS,
  OPTIONAL_FIELDS,
  recordProblems,
  SPEC_FIELDS,
  TENANT_SETTINGS_API_VERSION,
  TENANT_SETTINGS_KIND,
  TenantRecordFields,
  TenantSettings,
} from './tenantSettings';

const MAX_RECORD_LENGTH = 64 * 1024;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems of the spec's shape: unknown, missing and nested fields. */
function shapeProblems(spec: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(spec))
    if (!(SPEC_FIELDS as readonly string[]).includes(key))
      problems.push(`${key}: is not a field of ${TENANT_SETTINGS_KIND}`);
  for (const field of SPEC_FIELDS)
    if (!OPTIONAL_FIELDS.includes(field) && spec[field] === undefined)
      problems.push(`${field}: is required`);
  for (const [field, keys] of Object.entries(NESTED_FIELDS)) {
    const value = spec[field];
    if (!isObject(value)) continue;
    for (const key of Object.keys(value))
      if (!keys.includes(key))
        problems.push(`${field}.${key}: is not a field of ${field}`);
    for (const key of keys)
      if (value[key] === undefined)
        problems.push(`${field}.${key}: is required`);
  }
  return problems;
}

/**
 * Reads a settings record (untrusted: it comes from a git repository). Every problem names its field (`spec.tier`)
 * and the rule; the tier is checked against clearml.tiers only when the tenant is resolved.
 *
 * @public
 */
export function parseTenantSettings(
  text: string,
): { settings: TenantSettings } | { problems: string[] } {
  if (typeof text !== 'string' || text.length > MAX_RECORD_LENGTH) {
    return {
      problems: [
        `${TENANT_SETTINGS_FILE}: must be YAML text of at most ${MAX_RECORD_LENGTH} characters`,
      ],
    };
  }
  let document: unknown;
  try {
    document = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    return {
      problems: [`${TENANT_SETTINGS_FILE}: is not valid YAML (${reason})`],
    };
  }
  if (!isObject(document)) {
    return {
      problems: [
        `${TENANT_SETTINGS_FILE}: must be one YAML mapping with apiVersion, kind and spec`,
      ],
    };
  }
  const problems: string[] = [];
  if (document.apiVersion !== TENANT_SETTINGS_API_VERSION)
    problems.push(
      `apiVersion: must be ${TENANT_SETTINGS_API_VERSION} (got ${JSON.stringify(document.apiVersion)})`,
    );
  if (document.kind !== TENANT_SETTINGS_KIND)
    problems.push(
      `kind: must be ${TENANT_SETTINGS_KIND} (got ${JSON.stringify(document.kind)})`,
    );
  for (const key of Object.keys(document))
    if (!['apiVersion', 'kind', 'spec'].includes(key))
      problems.push(
        `${key}: is not a field of a ${TENANT_SETTINGS_KIND} document`,
      );
  if (!isObject(document.spec)) {
    problems.push("spec: must be a mapping of the tenant's settings");
    return { problems };
  }
  const spec = document.spec;
  const record = recordProblems(spec as unknown as TenantRecordFields);
  // A missing field breaks more than one rule: each problem is said once.
  const specProblems = new Set([
    ...shapeProblems(spec),
    ...record.problems,
    ...tenantInputProblems(spec, { tiers: 'anyName' }),
  ]);
  problems.push(...[...specProblems].map(problem => `spec.${problem}`));
  if (problems.length) return { problems };
  return {
    settings: canonical({
      ...(spec as unknown as TenantSettings),
      owner: record.owner,
    }),
  };
}
