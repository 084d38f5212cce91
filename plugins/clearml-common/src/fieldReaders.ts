/**
 * Readers of untrusted request fields: each returns the value or its default
 * and, for a value of the wrong type, adds a refusal that names the field.
 * Internal to the package (the tenant request uses them).
 */

/** Refusals collected so far, each `<field>: <rule> (got …)`. */
export type Problems = string[];

export function optionalString(
  value: unknown,
  field: string,
  problems: Problems,
): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${field}: must be a string`);
    return undefined;
  }
  return value;
}

export function oneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  fallback: T,
  problems: Problems,
): T {
  const text = optionalString(value, field, problems);
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    problems.push(
      `${field}: must be one of ${allowed.map(a => `'${a}'`).join(', ')} (got ${JSON.stringify(text)})`,
    );
    return fallback;
  }
  return text as T;
}

export function optionalBoolean(
  value: unknown,
  field: string,
  problems: Problems,
): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    problems.push(`${field}: must be true or false`);
    return false;
  }
  return value;
}

export function optionalObject(
  value: unknown,
  field: string,
  problems: Problems,
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${field}: must be an object`);
    return {};
  }
  return value as Record<string, unknown>;
}
