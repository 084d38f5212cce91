import {
  resolveTenant,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import {
  parseYamlStream,
  renderRoutes,
} from '@clearml-openshift/plugin-clearml-node';
import { assertValidRoute, routeProblems } from '@internal/clearml-test-utils';

// Every Route the product renders must be one the OpenShift API server accepts.
const tenants: Array<[string, TenantInput]> = [
  [
    'oss, default release',
    { tenant: 'acme', domain: 'acme.clearml.apps.ocp.example.com' },
  ],
  [
    'oss, release without "clearml"',
    { tenant: 'a1', domain: 'ml.a1.example.org', releaseName: 'prod' },
  ],
  [
    'oss, long names',
    {
      tenant: `t${'x'.repeat(39)}`,
      // The longest first label whose hosts stay labels of 63: '<label>-appgw'.
      domain: `${'d'.repeat(57)}.${'e'.repeat(63)}.example.com`,
      releaseName: `r${'1'.repeat(52)}`,
    },
  ],
  [
    'enterprise',
    { tenant: 'beta', domain: 'beta.example.com', edition: 'enterprise' },
  ],
  [
    'enterprise with app gateway',
    {
      tenant: 'beta',
      namespace: 'ml-beta',
      domain: 'beta.example.com',
      edition: 'enterprise',
      appGateway: { enabled: true },
    },
  ],
  [
    'enterprise with app gateway, long domain',
    {
      tenant: 'gamma',
      domain: `${'g'.repeat(57)}.${'h'.repeat(60)}.${'i'.repeat(60)}.example.com`,
      edition: 'enterprise',
      releaseName: 'my-clearml',
      appGateway: { enabled: true },
    },
  ],
];

describe('rendered Routes against OpenShift validation', () => {
  it.each(tenants)(
    'every Route is admitted by the API server: %s',
    (_, input) => {
      const { routes, file } = renderRoutes(resolveTenant(input));
      expect(routes.length).toBeGreaterThanOrEqual(3);
      for (const route of routes) assertValidRoute(route);
      // What is written is what was validated.
      expect(parseYamlStream(file!.content)).toEqual(routes);
    },
  );

  it.each(tenants)(
    'no host carries a *, and only the app gateway Route is a wildcard: %s',
    (_, input) => {
      const { routes } = renderRoutes(resolveTenant(input));
      for (const route of routes) {
        expect(route.spec.host).not.toContain('*');
        const isGateway =
          route.metadata.labels['app.kubernetes.io/component'] ===
          'app-gateway';
        expect(route.spec.wildcardPolicy).toBe(
          isGateway ? 'Subdomain' : 'None',
        );
      }
    },
  );

  it("the guide's app gateway Route (host '*.appgw...') is refused, ours is not", () => {
    const { routes } = renderRoutes(
      resolveTenant({
        tenant: 'beta',
        domain: 'beta.example.com',
        edition: 'enterprise',
        appGateway: { enabled: true },
      }),
    );
    const gateway = routes.find(r => r.spec.wildcardPolicy === 'Subdomain')!;
    expect(routeProblems(gateway)).toEqual([]);
    const guideRoute = {
      ...gateway,
      spec: { ...gateway.spec, host: '*.beta-appgw.example.com' },
    };
    expect(routeProblems(guideRoute).some(p => p.path === 'spec.host')).toBe(
      true,
    );
  });
});
