import { tenantLabelSelector, tenantObjectLabels } from './labels';

describe('tenant labels', () => {
  it('ties an object to its tenant, component and release', () => {
    expect(
      tenantObjectLabels({
        tenant: 'acme',
        component: 'fileserver',
        instance: 'clearml',
      }),
    ).toEqual({
      'app.kubernetes.io/part-of': 'clearml-acme',
      'app.kubernetes.io/managed-by': 'backstage',
      'app.kubernetes.io/component': 'fileserver',
      'app.kubernetes.io/instance': 'clearml',
    });
  });

  it('selects a tenant, or one component of it', () => {
    expect(tenantLabelSelector('acme')).toBe(
      'app.kubernetes.io/part-of=clearml-acme,app.kubernetes.io/managed-by=backstage',
    );
    expect(tenantLabelSelector('acme', 'app-gateway')).toBe(
      'app.kubernetes.io/part-of=clearml-acme,app.kubernetes.io/managed-by=backstage,app.kubernetes.io/component=app-gateway',
    );
  });
});
