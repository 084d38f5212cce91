import fs from 'fs';
import path from 'path';
import {
  agentNames,
  resolveTenant,
  serverNames,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import yaml from 'js-yaml';
import { parseYamlStream } from '../yaml';
import { CHARTS_DIR, loadChartKeys } from './__testUtils__/chartKeys';
import { renderTenantValues } from './renderTenantValues';

type Tree = Record<string, any>;

const domain = 'acme.apps.ocp.example.com';
// One label under apps.ocp.example.com each (clearml-common hosts.ts).
const hosts = {
  api: 'acme-api.apps.ocp.example.com',
  files: 'acme-files.apps.ocp.example.com',
  web: 'acme-app.apps.ocp.example.com',
};

function render(input: Partial<TenantInput> = {}) {
  return renderTenantValues(
    resolveTenant({ tenant: 'acme', domain, ...input }),
  );
}

function file(
  input: Partial<TenantInput>,
  name: string,
): { text: string; values: Tree } {
  const found = render(input).files.find(f => f.path === name);
  if (!found) throw new Error(`${name} was not rendered`);
  const docs = parseYamlStream(found.content);
  expect(docs).toHaveLength(1);
  return { text: found.content, values: docs[0] as Tree };
}

/** What render/values/labels.ts puts on the charts' objects that take labels. */
const TENANT_LABELS = {
  'clear.ml/tenant': 'acme',
  'backstage.io/kubernetes-id': 'acme',
};

const serverValues = (input: Partial<TenantInput> = {}) =>
  file(input, 'clearml-values.yaml').values;
const agentValues = (input: Partial<TenantInput> = {}) =>
  file(input, 'clearml-agent-values.yaml').values;

describe('open-source values: every key exists in the chart', () => {
  const chart = loadChartKeys();

  it('has the reference charts it checks against', () => {
    expect(fs.existsSync(path.join(CHARTS_DIR, 'clearml/Chart.yaml'))).toBe(
      true,
    );
    expect(
      fs.readFileSync(path.join(CHARTS_DIR, 'clearml/Chart.yaml'), 'utf8'),
    ).toMatch(/version: "7\.14\.1"/);
    expect(
      fs.readFileSync(
        path.join(CHARTS_DIR, 'clearml-agent/Chart.yaml'),
        'utf8',
      ),
    ).toMatch(/version: "5\.3\.0"/);
  });

  it('flags keys the chart does not have (the check can fail)', () => {
    expect(
      chart.unknownServerKeys({
        apiserver: { service: { typ: 'ClusterIP' } },
        redis: {
          master: { podSecurityContext: {}, containerSecurityContex: {} },
        },
        elasticsearch: { sysctlInitContainer: { enable: false } },
      }),
    ).toEqual([
      'apiserver.service.typ',
      'redis.master.containerSecurityContex',
      'elasticsearch.sysctlInitContainer.enable',
    ]);
    expect(chart.unknownAgentKeys({ agentk8sglue: { queues: 'x' } })).toEqual([
      'agentk8sglue.queues',
    ]);
  });

  it.each<[string, Partial<TenantInput>]>([
    ['defaults', {}],
    ['nonroot profile', { securityProfile: 'nonroot' }],
    ['sysctl init container', { elasticsearchSysctlInit: true }],
    [
      'nonroot with sysctl init',
      { securityProfile: 'nonroot', elasticsearchSysctlInit: true },
    ],
    [
      'ingress mode',
      {
        exposure: 'ingress',
        ingressClassName: 'openshift-default',
        tlsSecretName: 'acme-tls',
      },
    ],
    [
      'agent on, another release',
      { agent: { enabled: true, queue: 'gpu' }, releaseName: 'ml' },
    ],
  ])('%s', (_name, input) => {
    const result = render(input);
    const server = parseYamlStream(result.files[0].content)[0];
    expect(chart.unknownServerKeys(server)).toEqual([]);
    expect(result.files.map(f => f.path)).toEqual(
      input.agent
        ? ['clearml-values.yaml', 'clearml-agent-values.yaml']
        : ['clearml-values.yaml'],
    );
    const agentDocuments = result.files
      .filter(f => f.path === 'clearml-agent-values.yaml')
      .map(f => parseYamlStream(f.content)[0]);
    expect(agentDocuments.flatMap(doc => chart.unknownAgentKeys(doc))).toEqual(
      [],
    );
  });
});

describe('open-source server values', () => {
  it('uses ClusterIP Services, Routes instead of Ingresses, and tells clients the public URLs', () => {
    const values = serverValues();
    for (const component of ['apiserver', 'fileserver', 'webserver']) {
      expect(values[component]).toMatchObject({
        service: { type: 'ClusterIP' },
        ingress: { enabled: false },
        // The size tier's (checked below).
        resources: expect.any(Object),
        initContainers: { resources: expect.any(Object) },
      });
    }
    expect(values.fileserver).toMatchObject({
      storage: { data: { size: expect.any(String) } },
    });
    expect(values.clearml).toMatchObject({
      clientConfigurationApiUrl: `https://${hosts.api}`,
      clientConfigurationFilesUrl: `https://${hosts.files}`,
    });
    expect(render().urls).toEqual({
      api: `https://${hosts.api}`,
      files: `https://${hosts.files}`,
      web: `https://${hosts.web}`,
    });
    expect(render().namespace).toBe('clearml-acme');
  });

  it('renders the chart Ingresses with the tenant hosts in ingress mode', () => {
    const values = serverValues({
      exposure: 'ingress',
      ingressClassName: 'openshift-default',
      tlsSecretName: 'acme-tls',
    });
    // Every Ingress asks OpenShift for an edge Route: without it, an Ingress without a secret becomes plain HTTP.
    const edge = { 'route.openshift.io/termination': 'edge' };
    expect(values.apiserver.ingress).toEqual({
      enabled: true,
      ingressClassName: 'openshift-default',
      hostName: hosts.api,
      tlsSecretName: 'acme-tls',
      annotations: edge,
    });
    expect(values.fileserver.ingress.hostName).toBe(hosts.files);
    // Uploads: the same 600 s router timeout as the fileserver Route (OpenShift copies it to the Route it makes).
    expect(values.fileserver.ingress.annotations).toEqual({
      ...edge,
      'haproxy.router.openshift.io/timeout': '600s',
    });
    expect(values.webserver.ingress.hostName).toBe(hosts.web);
    expect(serverValues({ exposure: 'ingress' }).webserver.ingress).toEqual({
      enabled: true,
      hostName: hosts.web,
      annotations: edge,
    });
    expect(file({ exposure: 'ingress' }, 'clearml-values.yaml').text).toMatch(
      /# No tlsSecretName: .*route\.openshift\.io\/termination: edge.*router's default certificate/,
    );
  });

  it("nulls the dependencies' pinned IDs so restricted-v2 admits them (anyuid profile)", () => {
    const values = serverValues();
    const hardened = {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    expect(values.redis.master).toEqual({
      podSecurityContext: { fsGroup: null },
      containerSecurityContext: { runAsUser: null, ...hardened },
      resources: expect.any(Object),
      persistence: { size: expect.any(String) },
    });
    expect(values.mongodb).toEqual({
      commonLabels: TENANT_LABELS,
      podSecurityContext: { fsGroup: null },
      containerSecurityContext: { enabled: true, runAsUser: null, ...hardened },
      resources: expect.any(Object),
      persistence: { size: expect.any(String) },
      // The chart's pin is gone (clearml-common DEAD_IMAGES).
      image: { registry: 'docker.io', repository: 'bitnamilegacy/mongodb' },
    });
    expect(values.elasticsearch.podSecurityContext).toEqual({
      fsGroup: null,
      runAsUser: null,
    });
    expect(values.elasticsearch.securityContext).toEqual({
      ...hardened,
      runAsUser: null,
    });
    // No grant names the Elasticsearch account, so nothing depends on rbac.create here.
    expect(values.elasticsearch.rbac).toBeUndefined();
  });

  it('keeps the pinned non-root UIDs under the nonroot profile, with the Elasticsearch account created', () => {
    const values = serverValues({ securityProfile: 'nonroot' });
    // Only the replacements of the charts' dead image pins (clearml-common DEAD_IMAGES), the size tier's, and the
    // tenant's labels (render/values/labels.ts).
    expect(values.redis).toEqual({
      commonLabels: TENANT_LABELS,
      image: { registry: 'docker.io', repository: 'bitnamilegacy/redis' },
      master: {
        resources: expect.any(Object),
        persistence: { size: expect.any(String) },
      },
    });
    expect(values.mongodb).toEqual({
      commonLabels: TENANT_LABELS,
      image: { registry: 'docker.io', repository: 'bitnamilegacy/mongodb' },
      resources: expect.any(Object),
      persistence: { size: expect.any(String) },
    });
    expect(values.elasticsearch.labels).toEqual(TENANT_LABELS);
    expect(values.elasticsearch.podSecurityContext).toBeUndefined();
    expect(values.elasticsearch.securityContext).toBeUndefined();
    expect(values.elasticsearch.rbac).toEqual({ create: true });
  });

  it("starts Elasticsearch without the privileged sysctl init container, keeping the chart's xpack line", () => {
    const { text, values } = file({}, 'clearml-values.yaml');
    expect(values.elasticsearch.sysctlInitContainer).toEqual({
      enabled: false,
    });
    expect(values.elasticsearch.esConfig).toEqual({
      'elasticsearch.yml':
        'xpack.security.enabled: false\nnode.store.allow_mmap: false\n',
    });
    expect(text).toMatch(/# .*node\.store\.allow_mmap: false/);
  });

  it('restores the init container only on request, without the allow_mmap line', () => {
    const values = serverValues({ elasticsearchSysctlInit: true });
    expect(values.elasticsearch.sysctlInitContainer).toEqual({ enabled: true });
    expect(values.elasticsearch.esConfig).toBeUndefined();
    expect(values.elasticsearch.rbac).toEqual({ create: true });
  });

  it("names the version of the chart the tenant's Application installs (clearml.charts), not the built-in one", () => {
    const tenant = resolveTenant({
      tenant: 'acme',
      domain,
      agent: { enabled: true },
    });
    const source = (chart: string, version: string) => ({
      chart,
      repository: 'https://clearml.github.io/clearml-helm-charts',
      version,
    });
    const { files } = renderTenantValues(tenant, {
      charts: [
        { role: 'server', source: source('clearml', '7.14.1') },
        { role: 'agent', source: source('clearml-agent', '5.3.0') },
      ],
    });
    const chartLine = (name: string) =>
      files
        .find(f => f.path === name)!
        .content.split('\n')
        .find(line => line.startsWith('# Chart: '));
    expect(chartLine('clearml-values.yaml')).toBe(
      '# Chart: clearml 7.14.1 (open source, https://github.com/allegroai/clearml-helm-charts)',
    );
    expect(chartLine('clearml-agent-values.yaml')).toBe(
      '# Chart: clearml-agent 5.3.0 (open source, https://github.com/allegroai/clearml-helm-charts)',
    );
  });

  it('starts with a header naming the tenant, the chart and every departure from the docs', () => {
    const result = render();
    const { text } = file({}, 'clearml-values.yaml');
    const header = text
      .split('\n')
      .filter(l => l.startsWith('#'))
      .join('\n');
    expect(
      text.startsWith(
        "# ClearML server values for tenant 'acme': namespace clearml-acme",
      ),
    ).toBe(true);
    expect(header).toContain('Chart: clearml 7.14.4');
    expect(header).toContain("ClusterIP instead of the chart's NodePort");
    expect(header).toContain(
      "no anyuid for 'default' and no privileged for Elasticsearch",
    );
    for (const deviation of result.deviations) {
      expect(header).toContain(
        `  - ${deviation.replace(/^clearml-values\.yaml: /, '')}`,
      );
    }
    for (const grant of result.sccGrants) {
      expect(header).toContain(
        `# ${'  '}${grant.scc} -> ${grant.serviceAccount}: ${grant.reason}`,
      );
    }
  });
});

describe("open-source values: the tenant's own credentials", () => {
  it("reads the server's keys from the tenant's Secret and provisions the agent's credential as a secure.credentials entry", () => {
    const values = serverValues();
    expect(values.clearml).toMatchObject({
      existingSecret: 'clearml-credentials',
    });
    expect(values.apiserver.extraEnvs).toEqual([
      {
        name: 'CLEARML__secure__credentials__services_agent__user_key',
        valueFrom: {
          secretKeyRef: {
            name: 'clearml-credentials',
            key: 'agentk8sglue_key',
          },
        },
      },
      {
        name: 'CLEARML__secure__credentials__services_agent__user_secret',
        valueFrom: {
          secretKeyRef: {
            name: 'clearml-credentials',
            key: 'agentk8sglue_secret',
          },
        },
      },
    ]);
  });

  it("replaces every published value of the chart's clearml block, and the agent's", () => {
    const chartValues = yaml.load(
      fs.readFileSync(path.join(CHARTS_DIR, 'clearml/values.yaml'), 'utf8'),
    ) as Tree;
    const published = [
      'readinessprobeKey',
      'readinessprobeSecret',
      'defaultCompany',
    ];
    const values = serverValues();
    for (const key of published) {
      expect(values.clearml[key]).toBeDefined();
      expect(values.clearml[key]).not.toBe(chartValues.clearml[key]);
    }
    const text = render({ agent: { enabled: true } })
      .files.map(f => f.content)
      .join('\n');
    const publishedValues = Object.keys(chartValues.clearml)
      .filter(k => /Key$|Secret$|Company$/.test(k))
      .map(key => String(chartValues.clearml[key] ?? ''))
      .filter(value => value !== '');
    for (const value of publishedValues) expect(text).not.toContain(value);
  });
});

describe('open-source agent values', () => {
  it('points the agent at the in-cluster Services (web included: its init container waits on it), on the tenant queue', () => {
    const names = serverNames('oss', 'clearml');
    expect(agentValues({ agent: { enabled: true, queue: 'gpu' } })).toEqual({
      clearml: {
        existingAgentk8sglueSecret: 'clearml-credentials',
        existingClearmlConfigSecret: 'clearml-credentials',
      },
      agentk8sglue: {
        apiServerUrlReference: `http://${names.services.apiserver}.clearml-acme.svc:${names.servicePorts.apiserver}`,
        fileServerUrlReference: `http://${names.services.fileserver}.clearml-acme.svc:${names.servicePorts.fileserver}`,
        webServerUrlReference: `http://${names.services.webserver}.clearml-acme.svc:${names.servicePorts.webserver}`,
        queue: 'gpu',
        createQueueIfNotExists: true,
        labels: TENANT_LABELS,
        // The size tier's (small, the default): the glue, its init container, every task pod.
        resources: {
          requests: { cpu: '100m', memory: '256Mi' },
          limits: { cpu: '500m', memory: '512Mi' },
        },
        initContainers: {
          resources: {
            requests: { cpu: '10m', memory: '64Mi' },
            limits: { cpu: '10m', memory: '64Mi' },
          },
        },
        basePodTemplate: {
          resources: {
            requests: { cpu: '1', memory: '2Gi' },
            limits: { cpu: '2', memory: '4Gi' },
          },
        },
      },
    });
  });

  it('sizes every container and claim from the chosen tier, Elasticsearch heap at half its memory limit', () => {
    const values = serverValues({ tier: 'medium' });
    expect(values.apiserver.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
    expect([
      values.mongodb.persistence.size,
      values.redis.master.persistence.size,
      values.elasticsearch.volumeClaimTemplate.resources.requests.storage,
      values.fileserver.storage.data.size,
    ]).toEqual(['50Gi', '5Gi', '50Gi', '100Gi']);
    expect(values.elasticsearch.esJavaOpts).toBe('-Xmx2048m -Xms2048m');
    expect(values.elasticsearch.resources.limits.memory).toBe('4Gi');
    expect(() => render({ tier: 'xl' })).toThrow(
      "tier: must be one of 'small', 'medium', 'large'",
    );
  });

  it('follows the release and namespace, and names its release and account in the header', () => {
    const { text, values } = file(
      { agent: { enabled: true }, releaseName: 'ml', namespace: 'team-ml' },
      'clearml-agent-values.yaml',
    );
    expect(values.agentk8sglue.apiServerUrlReference).toBe(
      'http://ml-clearml-apiserver.team-ml.svc:8008',
    );
    expect(values.agentk8sglue.queue).toBe('default');
    const agent = agentNames('oss', 'ml');
    expect(text).toContain(`Helm release ${agent.release}`);
    expect(text).toContain(`ServiceAccount ${agent.serviceAccount}`);
    expect(text).toContain('Chart: clearml-agent 5.3.2');
  });
});
