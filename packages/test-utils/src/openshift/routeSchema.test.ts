import { readFileSync } from 'fs';
import yaml from 'js-yaml';
import {
  applyRouteDefaults,
  assertValidRoute,
  routeCelRuleCount,
  routeProblems,
} from './routeSchema';
import { referencePath } from '../reference';

interface CrdTestCase {
  name: string;
  initial: string;
  expected?: string;
  expectedError?: string;
}

const suite = yaml.load(
  readFileSync(
    referencePath('openshift-api', 'route-validation-tests.AAA_ungated.yaml'),
    'utf8',
  ),
) as { tests: { onCreate: CrdTestCase[] } };

/** OpenShift's CRD test harness creates every object with a generated name in a test namespace; so do we. */
function asCreated(manifest: string): any {
  const route = yaml.load(manifest) as any;
  route.metadata = {
    name: 'crd-test',
    namespace: 'crd-test',
    ...route.metadata,
  };
  return route;
}

function validRoute(
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'web', namespace: 'team', ...metadata },
    spec: {
      host: 'app.team.example.com',
      to: { kind: 'Service', name: 'web', weight: 100 },
      port: { targetPort: 8080 },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      ...spec,
    },
  };
}

describe("OpenShift's own Route validation cases", () => {
  it('binds every CEL rule of the CRD', () => {
    expect(routeCelRuleCount()).toBe(15);
  });

  const cases = suite.tests.onCreate;
  it('reads the cases', () => expect(cases.length).toBeGreaterThan(20));

  for (const testCase of cases.filter(c => c.expected)) {
    it(`accepts, and defaults as the API server does: ${testCase.name}`, () => {
      const route = asCreated(testCase.initial);
      expect(routeProblems(route)).toEqual([]);
      expect(applyRouteDefaults(route)).toEqual(asCreated(testCase.expected!));
    });
  }

  for (const testCase of cases.filter(c => c.expectedError)) {
    it(`refuses: ${testCase.name}`, () => {
      const problems = routeProblems(asCreated(testCase.initial));
      expect(problems).not.toEqual([]);
      // The error the API server returns names the same rule: a CEL message verbatim, or `<field>: Required value`.
      const matched = problems.some(
        p =>
          p.message === testCase.expectedError ||
          testCase.expectedError!.includes(`${p.path}: ${p.message}`),
      );
      if (!matched)
        throw new Error(
          `no problem matches ${JSON.stringify(testCase.expectedError)}: ${JSON.stringify(problems)}`,
        );
    });
  }
});

describe('API server rules the schema alone cannot express', () => {
  it('accepts a well-formed edge Route', () => {
    expect(() => assertValidRoute(validRoute())).not.toThrow();
  });

  it.each([
    ['a wildcard host', '*.appgw.team.example.com'],
    ['an upper-case host', 'App.team.example.com'],
    ['a label longer than 63', `${'a'.repeat(64)}.example.com`],
    ['a host longer than 253', `${'abcdefghi.'.repeat(25)}example.com`],
    ['an empty label', 'app..example.com'],
    ['a label ending in -', 'app-.example.com'],
  ])('refuses %s', (_, host) => {
    const problems = routeProblems(validRoute({ host }));
    expect(
      problems.filter(p => p.path === 'spec.host' && p.source === 'apiserver'),
    ).not.toEqual([]);
  });

  it('keeps refusing a label longer than 63 even with the allow-non-dns-compliant-host annotation (the CRD pattern)', () => {
    const host = `${'a'.repeat(64)}.example.com`;
    const annotations = {
      'route.openshift.io/allow-non-dns-compliant-host': 'true',
    };
    expect(
      routeProblems(validRoute({ host }, { annotations })).map(p => p.path),
    ).toContain('spec.host');
  });

  it('refuses wildcardPolicy Subdomain without a host, and accepts it with a concrete one', () => {
    const without = validRoute({ wildcardPolicy: 'Subdomain' }) as any;
    delete without.spec.host;
    expect(routeProblems(without).map(p => p.message)).toContain(
      'host name not specified for wildcard policy',
    );
    expect(
      routeProblems(
        validRoute({
          host: 'wildcard.appgw.team.example.com',
          wildcardPolicy: 'Subdomain',
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['targetPort 0', { port: { targetPort: 0 } }, 'spec.port.targetPort'],
    [
      'targetPort of the wrong type',
      { port: { targetPort: true } },
      'spec.port.targetPort',
    ],
    [
      'weight above 256',
      { to: { kind: 'Service', name: 'web', weight: 300 } },
      'spec.to.weight',
    ],
    [
      'a backend that is not a Service',
      { to: { kind: 'Deployment', name: 'web' } },
      'spec.to.kind',
    ],
    ['a path without a leading /', { path: 'api' }, 'spec.path'],
    [
      'a path with passthrough',
      { path: '/', tls: { termination: 'passthrough' } },
      'spec.path',
    ],
    [
      'an unknown termination',
      { tls: { termination: 'edgy' } },
      'spec.tls.termination',
    ],
    [
      'a destination CA on edge',
      { tls: { termination: 'edge', destinationCACertificate: 'x' } },
      'spec.tls.destinationCACertificate',
    ],
    [
      'insecure Allow with passthrough',
      {
        tls: {
          termination: 'passthrough',
          insecureEdgeTerminationPolicy: 'Allow',
        },
      },
      'spec.tls.insecureEdgeTerminationPolicy',
    ],
    ['a misspelt field', { targetport: 80 }, 'spec.targetport'],
    [
      'an unknown wildcard policy',
      { wildcardPolicy: 'All' },
      'spec.wildcardPolicy',
    ],
  ])('refuses %s', (_, spec, path) => {
    expect(routeProblems(validRoute(spec)).map(p => p.path)).toContain(path);
  });

  it.each([
    ['no name', { name: undefined }, 'metadata.name'],
    ['an upper-case name', { name: 'Web' }, 'metadata.name'],
    ['no namespace', { namespace: undefined }, 'metadata.namespace'],
    ['a namespace with dots', { namespace: 'team.a' }, 'metadata.namespace'],
    [
      'a label value longer than 63',
      { labels: { 'app.kubernetes.io/part-of': 'x'.repeat(64) } },
      'metadata.labels',
    ],
    [
      'a label key with two slashes',
      { labels: { 'a/b/c': 'x' } },
      'metadata.labels',
    ],
  ])('refuses metadata with %s', (_, metadata, path) => {
    expect(routeProblems(validRoute({}, metadata)).map(p => p.path)).toContain(
      path,
    );
  });

  it('says what is wrong when asserting', () => {
    expect(() =>
      assertValidRoute(validRoute({ host: '*.example.com' })),
    ).toThrow(
      /Route web would be refused:\n(.*\n)* {2}spec\.host: host must conform to DNS 952 subdomain conventions \[apiserver\]/,
    );
  });
});
