/** The rule a tenant name must meet; every part that takes a tenant name checks it here. */
import { isDns1123Label } from './dns';

/** @public */
export const TENANT_NAME_MAX_LENGTH = 40;

/**
 * The rule as refusals state it (after `tenant: `).
 *
 * @public
 */
export const TENANT_NAME_RULE =
  `must be a DNS-1123 label that starts with a letter (lower-case letters, digits and '-') ` +
  `of at most ${TENANT_NAME_MAX_LENGTH} characters`;

/**
 * A tenant name is a DNS-1123 label that starts with a letter, at most 40 characters.
 *
 * @public
 */
export function isTenantName(value: string): boolean {
  return (
    isDns1123Label(value) &&
    /^[a-z]/.test(value) &&
    value.length <= TENANT_NAME_MAX_LENGTH
  );
}

/**
 * The refusal of a value that is not a tenant name, naming the field
 * (`tenant: must be …`), or undefined for a tenant name. Every input that
 * takes a tenant name refuses with this text.
 *
 * @public
 */
export function tenantNameProblem(
  value: unknown,
  field = 'tenant',
): string | undefined {
  if (typeof value === 'string' && isTenantName(value)) return undefined;
  return `${field}: ${TENANT_NAME_RULE} (got ${JSON.stringify(value)})`;
}
