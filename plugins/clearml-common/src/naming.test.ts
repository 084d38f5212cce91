import {
  agentNames,
  appGatewayNames,
  helmFullname,
  serverNames,
} from './naming';
import {
  appGatewayRouteHost,
  certificateCovers,
  defaultTenantDomain,
  tenantHostParent,
  tenantHosts,
} from './hosts';
import { sccRoleName } from './scc';

describe('naming rules', () => {
  it('follows helm fullname: the release when it contains the chart name', () => {
    expect(helmFullname('clearml', 'clearml')).toBe('clearml');
    expect(helmFullname('my-clearml-prod', 'clearml')).toBe('my-clearml-prod');
    expect(helmFullname('acme', 'clearml')).toBe('acme-clearml');
    expect(helmFullname('clearml', 'clearml-enterprise')).toBe(
      'clearml-clearml-enterprise',
    );
  });

  it('names the open-source objects, ports and accounts', () => {
    const names = serverNames('oss', 'clearml');
    expect(names.services).toEqual({
      apiserver: 'clearml-apiserver',
      fileserver: 'clearml-fileserver',
      webserver: 'clearml-webserver',
    });
    expect(names.containerPorts).toEqual({
      apiserver: 8008,
      fileserver: 8081,
      webserver: 80,
    });
    expect(names.serviceAccounts).toEqual({
      apiserver: 'clearml-apiserver',
      fileserver: 'clearml-fileserver',
      webserver: 'clearml-webserver',
    });
    expect(names.asyncDelete).toBe('clearml-apiserver-asyncdelete');
    expect(names.mongodb.serviceAccount).toBe('clearml-mongodb');
    expect(names.redis).toEqual({
      statefulSet: 'clearml-redis-master',
      serviceAccount: 'clearml-redis',
    });
    expect(names.elasticsearch.statefulSet).toBe('clearml-elastic-master');
  });

  it('derives names from another release', () => {
    const names = serverNames('oss', 'acme');
    expect(names.services.webserver).toBe('acme-clearml-webserver');
    expect(names.mongodb.deployment).toBe('acme-mongodb');
    // The core ServiceAccounts are fixed by the chart's serviceAccountName, not by the release.
    expect(names.serviceAccounts.webserver).toBe('clearml-webserver');
  });

  it("names the enterprise objects as ClearML's OpenShift guide does", () => {
    const names = serverNames('enterprise', 'clearml');
    expect(names.services.apiserver).toBe(
      'clearml-clearml-enterprise-apiserver',
    );
    expect(names.containerPorts.webserver).toBe(8080);
  });

  it('names the agent and app gateway', () => {
    expect(agentNames('oss', 'clearml')).toEqual({
      release: 'clearml-agent',
      deployment: 'clearml-agent',
      serviceAccount: 'clearml-agent-sa',
    });
    expect(agentNames('oss', 'acme').deployment).toBe(
      'acme-agent-clearml-agent',
    );
    expect(appGatewayNames('clearml')).toEqual({
      release: 'clearml-app-gateway',
      service: 'clearml-app-gateway',
      port: 8080,
    });
  });

  it('derives hosts and never puts * in a Route host', () => {
    expect(tenantHosts('acme.example.com')).toEqual({
      api: 'acme-api.example.com',
      files: 'acme-files.example.com',
      web: 'acme-app.example.com',
      appGateway: '*.acme-appgw.example.com',
    });
    expect(appGatewayRouteHost('acme.example.com')).toBe(
      'wildcard.acme-appgw.example.com',
    );
  });

  it("puts the default tenant's hosts one label under the apps domain, where the router's wildcard certificate covers them", () => {
    const domain = defaultTenantDomain('acme', 'apps.ocp.example.com');
    expect(domain).toBe('clearml-acme.apps.ocp.example.com');
    const hosts = tenantHosts(domain);
    expect([hosts.web, hosts.api, hosts.files]).toEqual([
      'clearml-acme-app.apps.ocp.example.com',
      'clearml-acme-api.apps.ocp.example.com',
      'clearml-acme-files.apps.ocp.example.com',
    ]);
    for (const host of [hosts.web, hosts.api, hosts.files])
      expect(certificateCovers('*.apps.ocp.example.com', host)).toBe(true);
    // The app gateway's subdomain is two labels down: no wildcard of the apps domain covers it.
    expect(
      certificateCovers('*.apps.ocp.example.com', appGatewayRouteHost(domain)),
    ).toBe(false);
    expect(tenantHostParent(domain)).toBe('apps.ocp.example.com');
  });

  it('matches certificate names as TLS clients do: a wildcard stands for exactly one label', () => {
    expect(certificateCovers('*.apps.x.io', 'a.apps.x.io')).toBe(true);
    expect(certificateCovers('*.apps.x.io', 'app.acme.clearml.apps.x.io')).toBe(
      false,
    );
    expect(certificateCovers('*.apps.x.io', 'apps.x.io')).toBe(false);
    expect(certificateCovers('a.apps.x.io', 'A.apps.x.io')).toBe(true);
    expect(certificateCovers('a.apps.x.io', 'b.apps.x.io')).toBe(false);
  });

  it('names the SCC role and binding as oc does', () => {
    expect(sccRoleName('anyuid')).toBe('system:openshift:scc:anyuid');
  });
});
