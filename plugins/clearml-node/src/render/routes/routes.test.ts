import {
  resolveTenant,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import { parseYamlStream } from '../yaml';
import { renderRoutes } from './routes';
import { OpenShiftRoute } from './types';

function render(input: TenantInput) {
  return renderRoutes(resolveTenant(input));
}

function byComponent(
  routes: OpenShiftRoute[],
  component: string,
): OpenShiftRoute {
  const found = routes.find(
    r => r.metadata.labels['app.kubernetes.io/component'] === component,
  );
  if (!found) throw new Error(`no Route for ${component}`);
  return found;
}

describe('renderRoutes', () => {
  it('renders the three open-source Routes to the Services the chart creates, on the container ports', () => {
    const { routes, hosts } = render({
      tenant: 'acme',
      domain: 'acme.apps.example.com',
    });
    expect(
      routes.map(r => [
        r.metadata.name,
        r.spec.host,
        r.spec.to.name,
        r.spec.port.targetPort,
      ]),
    ).toEqual([
      [
        'clearml-apiserver',
        'acme-api.apps.example.com',
        'clearml-apiserver',
        8008,
      ],
      [
        'clearml-fileserver',
        'acme-files.apps.example.com',
        'clearml-fileserver',
        8081,
      ],
      // The open-source webserver listens on 80; its Service port 8080 would give 503 through a Route.
      [
        'clearml-webserver',
        'acme-app.apps.example.com',
        'clearml-webserver',
        80,
      ],
    ]);
    expect(hosts).toEqual({
      api: 'acme-api.apps.example.com',
      files: 'acme-files.apps.example.com',
      web: 'acme-app.apps.example.com',
    });
    for (const route of routes) {
      expect(route.metadata.namespace).toBe('clearml-acme');
      expect(route.spec).toMatchObject({
        path: '/',
        to: { kind: 'Service', weight: 100 },
        tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
        wildcardPolicy: 'None',
      });
    }
  });

  it('gives only the fileserver Route the long router timeout for uploads; Argo CD applies every Route after the chart (sync wave 1)', () => {
    const { routes } = render({ tenant: 'acme', domain: 'acme.example.com' });
    expect(byComponent(routes, 'fileserver').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
      'haproxy.router.openshift.io/timeout': '600s',
    });
    expect(byComponent(routes, 'apiserver').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
    });
    expect(byComponent(routes, 'webserver').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
    });
  });

  it('labels every Route with its tenant, component and release', () => {
    const { routes } = render({
      tenant: 'acme',
      domain: 'acme.example.com',
      edition: 'enterprise',
      releaseName: 'ml',
      appGateway: { enabled: true },
    });
    expect(routes.map(r => r.metadata.labels)).toEqual(
      ['apiserver', 'fileserver', 'webserver']
        .map(component => ({
          'app.kubernetes.io/part-of': 'clearml-acme',
          'app.kubernetes.io/managed-by': 'backstage',
          'app.kubernetes.io/component': component,
          'app.kubernetes.io/instance': 'ml',
        }))
        .concat([
          {
            'app.kubernetes.io/part-of': 'clearml-acme',
            'app.kubernetes.io/managed-by': 'backstage',
            'app.kubernetes.io/component': 'app-gateway',
            // The app gateway is its own Helm release.
            'app.kubernetes.io/instance': 'ml-app-gateway',
          },
        ]),
    );
  });

  it('names enterprise Routes after the enterprise chart and targets webserver 8080', () => {
    const { routes } = render({
      tenant: 'beta',
      domain: 'ml.beta.io',
      edition: 'enterprise',
    });
    expect(routes.map(r => [r.metadata.name, r.spec.port.targetPort])).toEqual([
      ['clearml-clearml-enterprise-apiserver', 8008],
      ['clearml-clearml-enterprise-fileserver', 8081],
      ['clearml-clearml-enterprise-webserver', 8080],
    ]);
  });

  it('exposes the app gateway through a concrete host with wildcardPolicy Subdomain, never a host with *', () => {
    const { routes, hosts } = render({
      tenant: 'beta',
      namespace: 'team-beta',
      domain: 'beta.example.com',
      edition: 'enterprise',
      appGateway: { enabled: true },
    });
    const gateway = byComponent(routes, 'app-gateway');
    expect(gateway.metadata).toMatchObject({
      name: 'clearml-app-gateway',
      namespace: 'team-beta',
    });
    expect(gateway.spec).toEqual({
      host: 'wildcard.beta-appgw.example.com',
      path: '/',
      to: { kind: 'Service', name: 'clearml-app-gateway', weight: 100 },
      port: { targetPort: 8080 },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
      wildcardPolicy: 'Subdomain',
    });
    expect(hosts.appGateway).toBe('*.beta-appgw.example.com');
    expect(routes.every(r => !r.spec.host.includes('*'))).toBe(true);
  });

  it('writes routes.yaml as one document per Route, with a header that says what changed from the guide', () => {
    const { routes, file } = render({
      tenant: 'beta',
      domain: 'beta.example.com',
      edition: 'enterprise',
      appGateway: { enabled: true },
    });
    expect(file?.path).toBe('routes.yaml');
    expect(parseYamlStream(file!.content)).toEqual(routes);
    const header = file!.content
      .split('\n')
      .filter(line => line.startsWith('#'))
      .join('\n');
    expect(header).toContain("ClearML tenant 'beta'");
    expect(header).toContain(
      "These replace the Routes in ClearML's OpenShift guide",
    );
    expect(header).toContain('nip.io');
    expect(header).toContain('routeAdmission.wildcardPolicy: WildcardsAllowed');
    expect(header).toContain('wildcardPolicy cannot be changed after creation');
  });

  it('explains the OSS webserver port in the header', () => {
    const { file } = render({ tenant: 'acme', domain: 'acme.example.com' });
    expect(file!.content).toMatch(
      /^# .*webserver Route targets container port 80/m,
    );
    expect(file!.content).not.toContain('WildcardsAllowed');
  });

  it('renders no Routes and no file in ingress mode, but still reports the hosts', () => {
    const rendered = render({
      tenant: 'acme',
      domain: 'acme.example.com',
      exposure: 'ingress',
    });
    expect(rendered.routes).toEqual([]);
    expect(rendered.file).toBeUndefined();
    expect(rendered.hosts.web).toBe('acme-app.example.com');
  });
});
