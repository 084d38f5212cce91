import {
  resolveTenant,
  serverNames,
} from '@clearml-openshift/plugin-clearml-common';

// Cross-package wiring: the workspace packages resolve each other by name.
describe('workspace', () => {
  it('resolves the common package by name', () => {
    const tenant = resolveTenant({
      tenant: 'acme',
      domain: 'acme.example.com',
    });
    expect(
      serverNames(tenant.edition, tenant.releaseName).services.webserver,
    ).toBe('clearml-webserver');
  });
});
