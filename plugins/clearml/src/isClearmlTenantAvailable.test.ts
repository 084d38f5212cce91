import { CLEARML_ANNOTATIONS } from '@clearml-openshift/plugin-clearml-common';
import {
  acmeTenant,
  entityWithoutAnnotations,
  tenantEntity,
} from '../dev/fixtures';
import {
  isClearmlTenantAvailable,
  missingClearmlAnnotations,
} from './isClearmlTenantAvailable';

describe('isClearmlTenantAvailable', () => {
  it('is true for a tenant entity as the template writes it', () => {
    expect(isClearmlTenantAvailable(tenantEntity(acmeTenant))).toBe(true);
  });

  it('is false for an entity without clear.ml annotations', () => {
    expect(isClearmlTenantAvailable(entityWithoutAnnotations)).toBe(false);
  });

  it('is false when one required annotation is missing or blank, and names it', () => {
    const entity = tenantEntity(acmeTenant);
    const annotations = { ...entity.metadata.annotations };
    delete annotations[CLEARML_ANNOTATIONS.release];
    annotations[CLEARML_ANNOTATIONS.edition] = ' ';
    const lacking = {
      ...entity,
      metadata: { ...entity.metadata, annotations },
    };
    expect(isClearmlTenantAvailable(lacking)).toBe(false);
    expect(missingClearmlAnnotations(lacking)).toEqual([
      'clear.ml/release',
      'clear.ml/edition',
    ]);
  });

  it('does not need the app gateway annotations', () => {
    const entity = tenantEntity(acmeTenant);
    expect(entity.metadata.annotations).not.toHaveProperty(
      CLEARML_ANNOTATIONS.appGatewayNamespace,
    );
    expect(isClearmlTenantAvailable(entity)).toBe(true);
  });
});
