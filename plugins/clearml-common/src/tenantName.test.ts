import {
  isTenantName,
  tenantNameProblem,
  TENANT_NAME_RULE,
} from './tenantName';

describe('tenantNameProblem', () => {
  it('accepts a tenant name and refuses anything else with the rule, naming the field', () => {
    expect(tenantNameProblem('acme')).toBeUndefined();
    expect(isTenantName('a'.repeat(41))).toBe(false);
    expect(tenantNameProblem('a'.repeat(41))).toBe(
      `tenant: ${TENANT_NAME_RULE} (got "${'a'.repeat(41)}")`,
    );
    expect(tenantNameProblem('1acme')).toBe(
      `tenant: ${TENANT_NAME_RULE} (got "1acme")`,
    );
    expect(tenantNameProblem(7, 'adopt[0].tenant')).toBe(
      `adopt[0].tenant: ${TENANT_NAME_RULE} (got 7)`,
    );
    expect(tenantNameProblem(undefined)).toBe(
      `tenant: ${TENANT_NAME_RULE} (got undefined)`,
    );
  });
});
