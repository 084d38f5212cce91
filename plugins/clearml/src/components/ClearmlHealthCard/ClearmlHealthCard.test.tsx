import {
  appGatewayRouteHost,
  tenantHosts,
} from '@clearml-openshift/plugin-clearml-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TenantHealth } from '@clearml-openshift/plugin-clearml-common';
import {
  acmeTenant,
  brokenReport,
  degradedReport,
  entityWithoutAnnotations,
  healthyReport,
  inReviewReport,
  orbitTenant,
  tenantEntity,
  unreachableReport,
  visionTenant,
} from '../../../dev/fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../../__testUtils__/healthApiDouble';
import { clearmlApiRef, ClearmlClient } from '../../api';
import { EntityClearmlHealthCard } from '../../plugin';
import { testClearmlClient } from '../../__testUtils__/testClient';

const FAKEABLE = [
  'Date',
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/**
 * Fakes only the given timer APIs: the rest (the HTTP double, React, waitFor) runs for real, so
 * what the test controls does not depend on how fast a loaded machine renders.
 */
function fakeOnly(apis: Array<(typeof FAKEABLE)[number]>, now?: string) {
  jest.useFakeTimers({
    now: now === undefined ? undefined : Date.parse(now),
    doNotFake: FAKEABLE.filter(api => !apis.includes(api)),
  });
}

const acme = tenantEntity(acmeTenant);
const vision = tenantEntity(visionTenant);
const orbit = tenantEntity(orbitTenant);

describe('EntityClearmlHealthCard', () => {
  let backend: HealthApiDouble;
  let client: ClearmlClient;

  afterEach(() => jest.useRealTimers());

  beforeAll(async () => {
    backend = await startHealthApiDouble();
    client = testClearmlClient(backend.baseUrl);
  });
  afterAll(() => backend.close());

  function answer(report: TenantHealth) {
    backend.answer(report.entityRef, report);
  }

  function requestsFor(entity: Entity) {
    return backend.requests.filter(
      r => r.entityRef === stringifyEntityRef(entity),
    ).length;
  }

  async function renderCard(
    entity: Entity,
    props: { refreshIntervalSeconds?: number } = {},
  ) {
    await renderInTestApp(
      <TestApiProvider apis={[[clearmlApiRef, client]]}>
        <EntityProvider entity={entity}>
          <EntityClearmlHealthCard refreshIntervalSeconds={0} {...props} />
        </EntityProvider>
      </TestApiProvider>,
    );
  }

  /** The card's section for a group, found by its heading. */
  function section(title: string) {
    return screen.getByRole('list', { name: title });
  }

  function row(name: string) {
    return screen.getByRole('listitem', { name });
  }

  it('shows a progress bar until the backend answers', async () => {
    answer(healthyReport());
    const release = backend.hold();
    await renderCard(acme);
    expect(
      await screen.findByText('ClearML tenant health'),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
    expect(
      screen.queryByRole('status', { name: 'Tenant status' }),
    ).not.toBeInTheDocument();

    release();
    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
  });

  it('shows a healthy tenant: status, where and when it was checked, every group and row', async () => {
    fakeOnly(['Date'], '2026-03-02T10:00:20Z'); // the clock stands still
    answer(healthyReport(new Date('2026-03-02T10:00:00Z')));
    await renderCard(acme);

    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
    expect(
      screen.getByText(/ocp-prod \/ clearml-acme · checked/),
    ).toHaveTextContent('checked 20 seconds ago');
    expect(screen.getAllByRole('heading').map(h => h.textContent)).toEqual([
      'Server',
      'Dependencies',
      'Agent',
    ]);
    expect(
      within(section('Server'))
        .getAllByRole('listitem')
        .map(li => li.getAttribute('aria-label')),
    ).toEqual(['API server', 'File server', 'Web server', 'Async delete']);

    const apiserver = row('API server');
    expect(apiserver).toHaveTextContent('Healthy');
    expect(apiserver).toHaveTextContent(
      '1/1 ready · Deployment clearml-apiserver',
    );
    expect(apiserver).toHaveTextContent(
      /Route clearml-acme-api\.apps\.ocp-prod\.example\.com.* admitted/,
    );
    expect(apiserver).toHaveTextContent(
      `Endpoint https://${tenantHosts(acmeTenant.domain).api}/debug.ping answers: HTTP 200 in 38 ms`,
    );
    expect(row('Redis')).toHaveTextContent(
      '1/1 ready · StatefulSet clearml-redis-master',
    );
    expect(row('Agent (k8s glue)')).toHaveTextContent(
      'Deployment clearml-agent',
    );
    expect(
      screen.queryByRole('list', { name: 'Problems' }),
    ).not.toBeInTheDocument();
  });

  it('links each Route host to its URL', async () => {
    answer(brokenReport());
    await renderCard(vision);
    await screen.findByRole('status', { name: 'Tenant status' });

    const linkOf = (name: string) => within(row(name)).getByRole('link');
    expect(linkOf('API server')).toHaveAttribute(
      'href',
      `https://${tenantHosts(visionTenant.domain).api}`,
    );
    expect(linkOf('API server')).toHaveTextContent(
      `${tenantHosts(visionTenant.domain).api}`,
    );
    expect(linkOf('File server')).toHaveAttribute(
      'href',
      `https://${tenantHosts(visionTenant.domain).files}`,
    );
    expect(linkOf('Web server')).toHaveAttribute(
      'href',
      `https://${tenantHosts(visionTenant.domain).web}`,
    );
    expect(linkOf('App gateway')).toHaveAttribute(
      'href',
      `https://${appGatewayRouteHost(visionTenant.domain)}`,
    );
    // Components without a Route (async delete, the dependencies) have no link.
    expect(screen.getAllByRole('link')).toHaveLength(4);
  });

  it('shows a degraded tenant with the problem and the hint to fix it', async () => {
    answer(degradedReport());
    await renderCard(acme);

    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Degraded');
    const fileserver = row('File server');
    expect(fileserver).toHaveTextContent('Degraded');
    expect(fileserver).toHaveTextContent(
      'not admitted (HostAlreadyClaimed: route clearml-fileserver in clearml-acme',
    );
    const problems = within(fileserver).getByRole('list', { name: 'Problems' });
    expect(problems).toHaveTextContent(
      /^Error\s*HostAlreadyClaimed\s*route clearml-fileserver in clearml-acme could not be admitted/,
    );
    expect(
      within(problems).getByRole('note', { name: 'How to fix' }),
    ).toHaveTextContent(
      `How to fix: The oldest Route for a host wins. Delete the Route for ${tenantHosts(acmeTenant.domain).files} in clearml-acme-old`,
    );
    expect(row('API server')).toHaveTextContent('Healthy');
  });

  it('shows a down tenant: the SCC refusal with the grant to make, and the wildcard Route the router refused', async () => {
    answer(brokenReport());
    await renderCard(vision);

    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Down');
    const webserver = row('Web server');
    expect(webserver).toHaveTextContent('Down');
    expect(webserver).toHaveTextContent(
      '0/1 ready · Deployment clearml-clearml-enterprise-webserver',
    );
    expect(webserver).toHaveTextContent('fails: HTTP 503');
    expect(webserver).toHaveTextContent(
      /Error\s*SCCForbidden\s*Deployment clearml-clearml-enterprise-webserver cannot create pod .*: no security context constraint/,
    );
    expect(webserver).toHaveTextContent(
      /Error\s*EndpointError\s*https:\/\/clearml-vision-app\..* answered HTTP 503/,
    );
    const [sccHint, endpointHint] = within(webserver).getAllByRole('note', {
      name: 'How to fix',
    });
    expect(sccHint).toHaveTextContent(
      'Grant anyuid to ServiceAccount clearml-clearml-enterprise-webserver in clearml-vision (oc adm policy add-scc-to-user anyuid -z clearml-clearml-enterprise-webserver -n clearml-vision',
    );
    expect(endpointHint).toHaveTextContent('no ready endpoint for this Route');

    const gateway = within(section('App gateway')).getByRole('listitem', {
      name: 'App gateway',
    });
    expect(gateway).toHaveTextContent('Degraded');
    expect(gateway).toHaveTextContent(
      'not admitted (RouteNotAdmitted: wildcard routes are not allowed)',
    );
    expect(
      within(gateway).getByRole('note', { name: 'How to fix' }),
    ).toHaveTextContent('spec.routeAdmission.wildcardPolicy: WildcardsAllowed');
  });

  it("marks a report that is the cluster's last known state: its age and why the cluster cannot be heard from", async () => {
    answer({
      ...healthyReport(),
      stale: {
        asOf: new Date(Date.now() - 12_000).toISOString(),
        ageSeconds: 12,
        reason:
          "cluster 'ocp-prod' answered 503 ServiceUnavailable: the server is currently unable to handle the request (Retry-After: 5s)",
      },
    });
    await renderCard(acme);
    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
    expect(
      screen.getByRole('note', { name: 'Last known state' }),
    ).toHaveTextContent(
      /Last known state, 12s old \(as of .+\): cluster 'ocp-prod' answered 503 ServiceUnavailable.*Retry-After: 5s/,
    );
  });

  it('shows unknown when the cluster does not answer, with what to check', async () => {
    answer(unreachableReport());
    await renderCard(orbit);

    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Unknown');
    expect(screen.getByText(/ocp-lab \/ clearml-orbit/)).toBeInTheDocument();
    // The backend gives every component the same problem: the card says it once, for the whole tenant.
    const shared = screen.getByRole('list', {
      name: 'Problems of every component',
    });
    expect(shared).toHaveTextContent(
      /ClusterUnreachable\s*The tenant's state is unknown: connect ETIMEDOUT/,
    );
    expect(
      within(shared).getByRole('note', { name: 'How to fix' }),
    ).toHaveTextContent('the CA (caData/caFile)');
    expect(screen.getAllByText(/ClusterUnreachable/)).toHaveLength(1);
    expect(row('API server')).toHaveTextContent('Unknown');
    expect(row('Elasticsearch')).toHaveTextContent('Unknown');
    expect(
      within(row('API server')).queryByRole('list', { name: 'Problems' }),
    ).not.toBeInTheDocument();
  });

  it('shows a tenant in review from request to running: progressing, the pull request linked, what could not be read', async () => {
    const report = inReviewReport();
    answer(report);
    await renderCard({ ...acme, metadata: { ...acme.metadata, name: 'nova' } });

    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Progressing');
    expect(
      screen.getByText(
        'Waiting for review: Pull request #42 waiting for review',
      ),
    ).toBeInTheDocument();
    const stages = screen.getByRole('list', {
      name: 'From request to running',
    });
    expect(
      within(stages).getByRole('listitem', { name: 'Request: Done' }),
    ).toBeInTheDocument();
    const pr = within(stages).getByRole('listitem', {
      name: 'Pull request: In progress',
    });
    expect(pr).toHaveAttribute('aria-current', 'step');
    expect(
      within(pr).getByRole('link', {
        name: /^Pull request #42 waiting for review/,
      }),
    ).toHaveAttribute('href', 'https://github.com/platform/gitops/pull/42');
    expect(
      within(stages).getByRole('listitem', { name: 'GitOps sync: Unknown' }),
    ).toHaveTextContent(
      'Could not read: The read-only token may not list Argo CD Applications in openshift-gitops',
    );
    expect(
      within(stages).getByRole('listitem', { name: 'Rollout: Not yet' }),
    ).toHaveTextContent('Waits for the merge');
    expect(row('API server')).toHaveTextContent('Progressing');
  });

  it("shows the backend's message when it refuses, and recovers on refresh", async () => {
    const ghost = { ...acme, metadata: { ...acme.metadata, name: 'ghost' } };
    await renderCard(ghost);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Could not read the tenant's health: Entity resource:default/ghost not found",
    );
    expect(
      screen.queryByRole('status', { name: 'Tenant status' }),
    ).not.toBeInTheDocument();

    answer({ ...healthyReport(), entityRef: 'resource:default/ghost' });
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
    expect(screen.queryByText(/Could not read/)).not.toBeInTheDocument();
  });

  it('names the missing annotations and does not call the backend for an entity that is not a tenant', async () => {
    const before = backend.requests.length;
    await renderCard(entityWithoutAnnotations);

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    for (const annotation of [
      'clear.ml/cluster',
      'clear.ml/namespace',
      'clear.ml/release',
      'clear.ml/edition',
    ]) {
      expect(
        screen.getAllByText(annotation, { exact: false }).length,
      ).toBeGreaterThan(0);
    }
    expect(backend.requests.length).toBe(before);
  });

  it('checks again when the refresh button is pressed', async () => {
    answer(healthyReport());
    await renderCard(acme);
    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Healthy');
    const requests = requestsFor(acme);

    answer(degradedReport());
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Tenant status' }),
      ).toHaveTextContent('Degraded'),
    );
    expect(requestsFor(acme)).toBe(requests + 1);
  });

  it('checks again by itself every refreshIntervalSeconds', async () => {
    fakeOnly(['setInterval', 'clearInterval']); // the test decides when the interval has passed
    answer(brokenReport());
    await renderCard(vision, { refreshIntervalSeconds: 30 });
    expect(
      await screen.findByRole('status', { name: 'Tenant status' }),
    ).toHaveTextContent('Down');
    const requests = requestsFor(vision);

    const fixed = healthyReport();
    answer({ ...fixed, entityRef: stringifyEntityRef(vision) });
    act(() => jest.advanceTimersByTime(30_000));
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Tenant status' }),
      ).toHaveTextContent('Healthy'),
    );
    expect(requestsFor(vision)).toBe(requests + 1);
  });

  it("shows the tenant's isolation: policies, quota used/hard, credentials, and the fix when they are missing", async () => {
    answer({
      ...healthyReport(),
      isolation: {
        networkPolicies: {
          expected: ['clearml-default-deny-ingress', 'clearml-mongodb-ingress'],
          matching: [],
          missing: ['clearml-default-deny-ingress', 'clearml-mongodb-ingress'],
          changed: [],
        },
        quota: {
          name: 'clearml-tenant-quota',
          resources: [
            { key: 'requests.cpu', label: 'CPU', used: '1300m', hard: '3800m' },
            { key: 'pods', label: 'Pods', used: '7', hard: '10' },
          ],
        },
        credentials: 'chart-default',
        credentialsSecret: 'clearml-conf',
        problems: [
          {
            severity: 'warning',
            reason: 'NotIsolated',
            message:
              "Namespace clearml-acme has none of the tenant's NetworkPolicies",
            hint: "Merge the tenant's GitOps pull request, or re-run the New ClearML tenant template",
          },
        ],
      },
    });
    await renderCard(acme);
    expect(
      await screen.findByText('Isolation on the cluster'),
    ).toBeInTheDocument();
    expect(screen.getByText('No NetworkPolicies')).toBeInTheDocument();
    expect(
      screen.getByText("Chart's public default credentials"),
    ).toBeInTheDocument();
    const quota = screen.getByRole('table', {
      name: 'Quota clearml-tenant-quota',
    });
    expect(within(quota).getByText('1300m / 3800m')).toBeInTheDocument();
    expect(within(quota).getByText('7 / 10')).toBeInTheDocument();
    const problems = screen.getByRole('list', { name: 'Isolation problems' });
    expect(
      within(problems).getByText(/re-run the New ClearML tenant template/),
    ).toBeInTheDocument();
  }, 20_000);
});
