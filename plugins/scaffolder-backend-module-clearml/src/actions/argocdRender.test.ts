import { ConfigReader } from '@backstage/config';
import {
  parseTenantSettings,
  resolveTenant,
  tenantQuotaHard,
} from '@clearml-openshift/plugin-clearml-common';
import {
  parseYamlStream,
  PLAIN_MANIFEST_FILES,
  sccGrantsForTenant,
  sccRoleBinding,
} from '@clearml-openshift/plugin-clearml-node';
import {
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { createClearmlArgocdRenderAction } from './argocdRender';
import { argocdRenderExamples, examples } from './argocdRender.examples';
import { createClearmlValuesRenderAction } from './valuesRender';
import { temporaryWorkspace } from './__testUtils__/workspace';

const READ_TOKEN = 'sha256~read-argocd-5e1a';
const ENTERPRISE_CHARTS = {
  'clearml-enterprise': {
    repository: 'oci://registry.example.com/clearml',
    version: '7.12.0',
  },
  'clearml-enterprise-agent': {
    repository: 'oci://registry.example.com/clearml',
    version: '5.2.0',
  },
};

describe('clearml:argocd:render', () => {
  const workspace = temporaryWorkspace('clearml-argocd-');
  let double: KubernetesApiDouble;
  const doubles: KubernetesApiDouble[] = [];

  async function cluster(
    kubernetesVersion?: string,
    unservedApiVersions?: string[],
  ) {
    const started = await KubernetesApiDouble.start({
      kubernetesVersion,
      unservedApiVersions,
      objects: [
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: {
            name: 'gp3-csi',
            annotations: {
              'storageclass.kubernetes.io/is-default-class': 'true',
            },
          },
          provisioner: 'ebs.csi.aws.com',
        },
      ],
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
      ],
    });
    doubles.push(started);
    return started;
  }

  function config(
    url: string,
    extra: {
      charts?: Record<string, unknown>;
      argocd?: Record<string, unknown>;
      certificates?: Record<string, string | Record<string, string>>;
    } = {},
  ) {
    return new ConfigReader({
      clearml: {
        clusters: [
          {
            name: 'ocp-prod',
            url,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
          },
        ],
        charts: { ...ENTERPRISE_CHARTS, ...extra.charts },
        ...(extra.certificates ? { certificates: extra.certificates } : {}),
        gitops: {
          argocd: {
            destinations: [{ cluster: 'ocp-prod', name: 'ocp-prod' }],
            ...extra.argocd,
          },
        },
      },
    });
  }

  const action = (url: string, extra?: Parameters<typeof config>[1]) =>
    createClearmlArgocdRenderAction({ config: config(url, extra) });
  const input = {
    tenant: 'acme',
    domain: 'acme.example.com',
    cluster: 'ocp-prod',
    repoUrl: 'github.com?owner=platform&repo=gitops',
  };
  const read = async (file: string) =>
    parseYamlStream(
      await fs.readFile(path.join(workspace.path, file), 'utf8'),
    ) as any[];

  beforeEach(async () => {
    double = await cluster('1.32.5');
  });
  afterEach(async () => {
    await Promise.all(doubles.splice(0).map(d => d.close()));
  });

  it('is the action its docs name, with dry-run support and examples', () => {
    const argocd = action(double.url);
    expect(argocd.id).toBe('clearml:argocd:render');
    expect(argocd.supportsDryRun).toBe(true);
    expect(argocd.examples).toEqual(examples);
  });

  it.each(argocdRenderExamples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_d, example) => {
      const step = (yaml.load(example.example) as any).steps[0];
      const out = await workspace.run(action(double.url), step.input);
      expect(out.files).toEqual(example.produces.files);
      const applications = await read(
        example.produces.files.find(f => f.endsWith('applications.yaml'))!,
      );
      expect(applications.map(a => a.metadata.name)).toEqual(
        example.produces.applications,
      );
    },
  );

  it('renders the Namespace, the same RoleBindings clearml:scc:grant makes, and a multi-source Application per release', async () => {
    const out = await workspace.run(action(double.url), {
      ...input,
      agent: { enabled: true },
    });
    expect(out.kubernetesVersion).toBe('1.32.5');
    expect(out.deviations).toEqual([]);

    const [namespace] = await read('namespace.yaml');
    expect(namespace.metadata).toEqual({
      name: 'clearml-acme',
      labels: {
        'clear.ml/tenant': 'acme',
        'app.kubernetes.io/part-of': 'clearml-acme',
        'app.kubernetes.io/managed-by': 'backstage',
        'argocd.argoproj.io/managed-by': 'openshift-gitops',
      },
      annotations: { 'argocd.argoproj.io/sync-wave': '-2' },
    });

    // The grant action's objects (name, roleRef, subjects), with the sync wave that puts them before the chart.
    const tenant = resolveTenant({ ...input, agent: { enabled: true } });
    const grants = sccGrantsForTenant(tenant);
    const [binding] = await read('scc-grants.yaml');
    const { annotations, ...metadata } = binding.metadata;
    expect({ ...binding, metadata }).toEqual(
      sccRoleBinding(
        'anyuid',
        'clearml-acme',
        grants.map(g => g.serviceAccount),
      ),
    );
    expect(annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });

    // Isolation, in the same wave: the policies, the quota and LimitRange of the tier (small by default).
    const isolation = await read('isolation.yaml');
    expect(isolation.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/clearml-default-deny-ingress',
      'NetworkPolicy/clearml-apiserver-ingress',
      'NetworkPolicy/clearml-fileserver-ingress',
      'NetworkPolicy/clearml-webserver-ingress',
      'NetworkPolicy/clearml-mongodb-ingress',
      'NetworkPolicy/clearml-redis-ingress',
      'NetworkPolicy/clearml-elasticsearch-ingress',
      'ResourceQuota/clearml-tenant-quota',
      'LimitRange/clearml-tenant-limits',
    ]);
    expect(
      new Set(
        isolation.map(
          (o: any) =>
            `${o.metadata.namespace} ${o.metadata.annotations['argocd.argoproj.io/sync-wave']}`,
        ),
      ),
    ).toEqual(new Set(['clearml-acme -1']));
    expect(isolation[7].spec.hard).toEqual(
      tenantQuotaHard(tenant.tier, {
        edition: 'oss',
        agent: true,
        appGateway: false,
      }),
    );
    expect(isolation[8].spec.limits).toEqual([
      {
        type: 'Container',
        default: { cpu: '2', memory: '4Gi' },
        defaultRequest: { cpu: '1', memory: '2Gi' },
      },
    ]);

    const [server, agent] = await read('applications.yaml');
    expect(server.metadata).toMatchObject({
      name: 'clearml-acme-server',
      namespace: 'openshift-gitops',
      labels: {
        'clear.ml/tenant': 'acme',
        'app.kubernetes.io/instance': 'clearml',
      },
      annotations: { 'argocd.argoproj.io/sync-wave': '0' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    expect(server.spec.destination).toEqual({
      name: 'ocp-prod',
      namespace: 'clearml-acme',
    });
    expect(server.spec.sources).toEqual([
      {
        repoURL: 'https://clearml.github.io/clearml-helm-charts',
        chart: 'clearml',
        targetRevision: '7.14.4',
        helm: {
          releaseName: 'clearml',
          valueFiles: ['$values/tenants/acme/clearml-values.yaml'],
        },
      },
      {
        repoURL: 'https://github.com/platform/gitops.git',
        targetRevision: 'HEAD',
        ref: 'values',
      },
      {
        repoURL: 'https://github.com/platform/gitops.git',
        targetRevision: 'HEAD',
        path: 'tenants/acme',
        directory: {
          include:
            '{namespace.yaml,scc-grants.yaml,credentials.yaml,certificates.yaml,isolation.yaml,routes.yaml}',
        },
      },
    ]);
    expect(agent.metadata.name).toBe('clearml-acme-agent');
    expect(agent.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
    });
    expect(agent.spec.sources[0]).toMatchObject({
      chart: 'clearml-agent',
      targetRevision: '5.3.2',
      helm: {
        releaseName: 'clearml-agent',
        valueFiles: ['$values/tenants/acme/clearml-agent-values.yaml'],
      },
    });
    expect(agent.spec.sources).toHaveLength(2);
    expect(out.summary).toEqual({
      render: 'applications',
      argocdNamespace: 'openshift-gitops',
      credentials: {
        delivery: 'externalSecrets',
        secret: 'clearml-credentials',
      },
      releases: [
        {
          application: 'clearml-acme-server',
          release: 'clearml',
          chart: 'clearml',
          version: '7.14.4',
        },
        {
          application: 'clearml-acme-agent',
          release: 'clearml-agent',
          chart: 'clearml-agent',
          version: '5.3.2',
        },
      ],
      kubernetesVersion: '1.32.5',
      grantBindings: ['system:openshift:scc:anyuid'],
    });
    // Only the version and discovery (which APIs the cluster serves), with the read credential.
    expect(double.requests.map(r => [r.method, r.path, r.token])).toEqual([
      ['GET', '/version', 'reader'],
      ['GET', '/api', 'reader'],
      ['GET', '/apis', 'reader'],
    ]);
  });

  it("with owner, writes the tenant's settings record, which no Application applies; a bad owner or class is refused by name first", async () => {
    const out = await workspace.run(action(double.url), {
      ...input,
      owner: 'ml-team',
      description: 'Experiments',
    });
    expect(out.files).toEqual([
      'namespace.yaml',
      'scc-grants.yaml',
      'credentials.yaml',
      'isolation.yaml',
      'applications.yaml',
      'tenant-settings.yaml',
    ]);
    const record = parseTenantSettings(
      await fs.readFile(
        path.join(workspace.path, 'tenant-settings.yaml'),
        'utf8',
      ),
    );
    // The StorageClass the values name without a choice: the cluster's default.
    expect(record).toEqual({
      settings: expect.objectContaining({
        tenant: 'acme',
        owner: 'group:default/ml-team',
        description: 'Experiments',
        cluster: 'ocp-prod',
        storageClassName: 'gp3-csi',
        repoUrl: 'github.com?owner=platform&repo=gitops',
      }),
    });
    const [server] = await read('applications.yaml');
    expect(JSON.stringify(server.spec.sources)).not.toContain(
      'tenant-settings',
    );
    expect(PLAIN_MANIFEST_FILES).not.toContain('tenant-settings.yaml');

    await fs.rm(workspace.path, { recursive: true });
    await fs.mkdir(workspace.path);
    await workspace.expectRefused(
      action(double.url),
      { ...input, owner: 'component:default/evil' },
      'owner',
    );
    await workspace.expectRefused(
      action(double.url),
      { ...input, owner: 'ml-team', storageClassName: 'no-such-class' },
      'storageClassName',
    );
  });

  it('follows clearml.gitops.argocd: namespace, project, repository, revision, manual sync, and plain files for an ApplicationSet', async () => {
    await workspace.run(
      action(double.url, {
        argocd: {
          namespace: 'gitops',
          project: 'clearml',
          repoURL: 'https://git.example.com/gitops.git',
          targetRevision: 'main',
          automatedSync: false,
        },
      }),
      input,
    );
    const [app] = await read('applications.yaml');
    expect([
      app.metadata.namespace,
      app.spec.project,
      app.spec.sources[1],
    ]).toEqual([
      'gitops',
      'clearml',
      {
        repoURL: 'https://git.example.com/gitops.git',
        targetRevision: 'main',
        ref: 'values',
      },
    ]);
    expect(app.spec.syncPolicy.automated).toBeUndefined();

    await fs.rm(path.join(workspace.path, 'applications.yaml'));
    const out = await workspace.run(
      action(double.url, { argocd: { render: 'plain' } }),
      { ...input, repoUrl: undefined },
    );
    expect(out.files).toEqual([
      'namespace.yaml',
      'scc-grants.yaml',
      'credentials.yaml',
      'isolation.yaml',
    ]);
    expect(out.summary.render).toBe('plain');
    expect(out.summary.releases).toEqual([
      { release: 'clearml', chart: 'clearml', version: '7.14.4' },
    ]);
  });

  it('on Kubernetes 1.33 (OpenShift 4.20), renders the known charts for 1.32.0, which the cluster serves every API of, and says so', async () => {
    const newer = await cluster('1.33.1');
    const out = await workspace.run(action(newer.url), {
      ...input,
      agent: { enabled: true },
    });
    const applications = await read('applications.yaml');
    expect(applications.map(a => a.spec.sources[0].helm.kubeVersion)).toEqual([
      '1.32.0',
      '1.32.0',
    ]);
    expect(out.summary).toMatchObject({
      kubernetesVersion: '1.33.1',
      kubeVersionOverride: '1.32.0',
    });
    expect(out.deviations).toEqual([
      expect.stringMatching(
        /helm\.kubeVersion 1\.32\.0, not the cluster's 1\.33\.1.*apps\/v1.*is served by the cluster/,
      ),
    ]);
  });

  it('refuses, naming cluster and writing nothing, a cluster that lacks a rendered API, a chart it refuses with nothing known to fall back on, or one not configured', async () => {
    const lacking = await cluster('1.33.1', ['policy/v1']);
    const refused = await workspace
      .run(action(lacking.url), input)
      .catch(e => e);
    expect(refused.name).toBe('InputError');
    expect(refused.message).toMatch(
      /^cluster: Kubernetes 1\.33\.1 on cluster 'ocp-prod' does not serve an API the charts render \(clearml 7\.14\.4 renders policy\/v1\)/,
    );
    expect(await workspace.list()).toEqual([]);
    await workspace.expectRefused(action(lacking.url), input, 'cluster');

    // clearml 7.14.1 refuses 1.32 and its rendered APIs are not known here: refused.
    const older = await cluster('1.32.5');
    const olderChart = { charts: { clearml: { version: '7.14.1' } } };
    const byRange = await workspace
      .run(action(older.url, olderChart), input)
      .catch(e => e);
    expect(byRange.message).toMatch(
      /^cluster: Kubernetes 1\.32\.5 on cluster 'ocp-prod' is refused by chart clearml 7\.14\.1 \(kubeVersion >= 1\.21\.0-0 < 1\.32\.0-0\)/,
    );
    await workspace.expectRefused(
      action(double.url),
      { ...input, cluster: 'ocp-elsewhere' },
      'cluster',
    );
    // The values action (the template's first step) refuses the same way before writing anything.
    await workspace.expectRefused(
      createClearmlValuesRenderAction({ config: config(lacking.url) }),
      input,
      'cluster',
    );
  });

  it('with clearml.certificates.mode certManager, writes the Certificate and the router access; refuses it below OpenShift 4.19, naming the key and writing nothing', async () => {
    const certificates = {
      mode: 'certManager',
      issuerRef: { name: 'letsencrypt-dns01' },
    };
    const older = await cluster('1.31.8');
    const refused = await workspace
      .run(action(older.url, { certificates }), input)
      .catch(e => e);
    expect(refused.name).toBe('InputError');
    expect(refused.message).toMatch(
      /^Invalid config at clearml\.certificates\.mode: certManager .*OpenShift 4\.19.*Kubernetes 1\.31\.8/,
    );
    expect(await workspace.list()).toEqual([]);

    await workspace.run(action(double.url, { certificates }), input);
    expect(
      (await read('certificates.yaml')).map(o => [o.kind, o.metadata.name]),
    ).toEqual([
      ['Certificate', 'clearml-tls'],
      ['Role', 'clearml-tls-router-reader'],
      ['RoleBinding', 'clearml-tls-router-reader'],
    ]);
    expect(() =>
      action(double.url, { certificates: { mode: 'acme' } }),
    ).toThrow(/clearml\.certificates\.mode: 'acme' is not one of/);
  });

  it('with clearml.charts.kubeVersionOverride, renders for that version and says so with its risk', async () => {
    const newer = await cluster('1.33.1');
    const out = await workspace.run(
      action(newer.url, { charts: { kubeVersionOverride: '1.32.0' } }),
      { ...input, agent: { enabled: true } },
    );
    const applications = await read('applications.yaml');
    expect(applications.map(a => a.spec.sources[0].helm.kubeVersion)).toEqual([
      '1.32.0',
      '1.32.0',
    ]);
    expect(out.summary).toMatchObject({
      kubernetesVersion: '1.33.1',
      kubeVersionOverride: '1.32.0',
    });
    expect(out.deviations).toEqual([
      expect.stringMatching(
        /helm\.kubeVersion 1\.32\.0, not the cluster's 1\.33\.1.*Risk: /,
      ),
    ]);

    const values = await workspace.run(
      createClearmlValuesRenderAction({
        config: config(newer.url, {
          charts: { kubeVersionOverride: '1.32.0' },
        }),
      }),
      input,
    );
    expect(values.deviations).toEqual(
      expect.arrayContaining([expect.stringMatching(/Risk: /)]),
    );
  });

  it('refuses an enterprise tenant whose private charts are not configured, naming edition', async () => {
    const bare = createClearmlArgocdRenderAction({
      config: new ConfigReader({
        clearml: {
          clusters: [
            {
              name: 'ocp-prod',
              url: double.url,
              skipTLSVerify: true,
              serviceAccountToken: READ_TOKEN,
            },
          ],
        },
      }),
    });
    await workspace.expectRefused(
      bare,
      { ...input, edition: 'enterprise' },
      'edition',
    );
  });
});
