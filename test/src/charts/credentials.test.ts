/**
 * The tenant's own credentials, end to end through the real charts: the
 * rendered directory's ExternalSecret (validated against the External Secrets
 * CRDs) gives the Secret, `helm template` of the packaged public charts with
 * the rendered values gives the apiserver's and the agent's environment, and
 * the ClearML server double started with the apiserver's environment lets the
 * agent's credential log in and refuses every key the charts publish.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import yaml from 'js-yaml';
import {
  AGENT_SECRET_KEYS,
  certificateCovers,
  CHART_VERSIONS,
  defaultTenantDomain,
  tenantHosts,
  GENERATED_CREDENTIAL_KEYS,
  SERVER_SECRET_KEYS,
  TENANT_CREDENTIALS_SECRET,
  TenantInput,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlServerDouble,
  clearmlServerConfigFromEnv,
  externalSecretsReconcile,
  referencePath,
} from '@internal/clearml-test-utils';
import { KubeObject, syncApplications } from './argocdSync';
import { resolveContainerEnv } from './containerEnv';
import { podTemplates } from './objectGraph';
import { crdValidator } from './schemaValidators';
import { ingressRouteTls } from './ingressToRoute';
import { writeTenantDirectory } from './__testUtils__/tenantDirectory';

jest.setTimeout(120_000);

const KUBE_VERSION = '1.32.5';

/** Every credential-like value the charts publish in their values.yaml. */
function publishedChartValues(): string[] {
  const server = yaml.load(
    fs.readFileSync(
      referencePath('clearml-charts', 'clearml', 'values.yaml'),
      'utf8',
    ),
  ) as any;
  const agent = yaml.load(
    fs.readFileSync(
      referencePath('clearml-charts', 'clearml-agent', 'values.yaml'),
      'utf8',
    ),
  ) as any;
  const pick = (block: Record<string, unknown>) =>
    Object.entries(block)
      .filter(
        ([k, v]) =>
          /(Key|Secret|Company)$/.test(k) && typeof v === 'string' && v,
      )
      .map(([, v]) => v as string);
  return [...pick(server.clearml), ...pick(agent.clearml)];
}

interface Deployed {
  objects: KubeObject[];
  credentials: KubeObject[];
  secret: KubeObject;
  files: Record<string, string>;
}

const repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'clearml-creds-'));
afterAll(() => fs.rmSync(repoRoot, { recursive: true, force: true }));

async function deploy(input: TenantInput): Promise<Deployed> {
  const { dir } = writeTenantDirectory({
    repoRoot,
    input,
    kubernetesVersion: KUBE_VERSION,
  });
  const files = Object.fromEntries(
    fs
      .readdirSync(dir)
      .map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
  const synced = await syncApplications({
    repoRoot,
    applicationsFile: path.join(dir, 'applications.yaml'),
    clusterVersion: KUBE_VERSION,
  });
  const objects = synced.flatMap(a => a.objects);
  const credentials = objects.filter(o =>
    ['ExternalSecret', 'Password'].includes(o.kind),
  );
  const [secret] = externalSecretsReconcile(credentials as any) as KubeObject[];
  return { objects, credentials, secret, files };
}

function container(objects: KubeObject[], workload: string, name: string) {
  const pod = podTemplates(objects).find(p => p.owner.endsWith(`/${workload}`));
  if (!pod) throw new Error(`no workload ${workload}`);
  const found = pod.spec.containers.find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name} in ${workload}`);
  return found;
}

const basic = (key: string, secret: string) =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

async function login(
  double: ClearmlServerDouble,
  apiUrl: string,
  key: string,
  secret: string,
) {
  const response = await double.fetchVia()(`${apiUrl}/auth.login`, {
    method: 'POST',
    headers: { authorization: basic(key, secret) },
  });
  return { status: response.status, body: (await response.json()) as any };
}

const VARIANTS: Array<[string, Partial<TenantInput>]> = [
  ['route, anyuid', {}],
  ['route, nonroot', { securityProfile: 'nonroot' }],
  ['ingress', { exposure: 'ingress' }],
];

describe("the tenant's own credentials through the real charts", () => {
  it.each(VARIANTS)(
    '%s: no rendered object or git file holds a key the charts publish; apiserver and agent read one Secret',
    async (_name, extra) => {
      const tenant = `c${Math.abs(_name.length * 7919) % 1000}`;
      const { objects, files } = await deploy({
        tenant,
        domain: `${tenant}.apps.ocp.example.com`,
        agent: { enabled: true },
        ...extra,
      });
      const published = publishedChartValues();
      expect(published).toEqual(
        expect.arrayContaining([
          'ACCESSKEY',
          'SECRETKEY',
          'GGS9F4M6XB2DXJ5AFT9F',
        ]),
      );
      // Every string of every rendered object, Secret data decoded, and every git file.
      const texts = [
        ...objects.map(o => JSON.stringify(o)),
        ...objects
          .filter(o => o.kind === 'Secret')
          .flatMap(o => Object.values(o.data ?? {}) as string[])
          .map(v => Buffer.from(v, 'base64').toString()),
        ...objects
          .flatMap(o => JSON.stringify(o).match(/Basic [A-Za-z0-9+/=]+/g) ?? [])
          .map(h => Buffer.from(h.slice(6), 'base64').toString()),
        ...Object.values(files),
      ];
      for (const value of published)
        expect(texts.filter(t => t.includes(value))).toEqual([]);
      // The only Secret the charts render is the server chart's unconditional clearml-conf: markers only, read by no pod.
      const chartSecrets = objects.filter(o => o.kind === 'Secret');
      expect(chartSecrets.map(o => o.metadata.name)).toEqual(['clearml-conf']);
      expect(
        new Set(
          Object.values(chartSecrets[0].data as Record<string, string>).map(v =>
            Buffer.from(v, 'base64').toString(),
          ),
        ),
      ).toEqual(new Set([`unused-see-secret-${TENANT_CREDENTIALS_SECRET}`]));
      expect(JSON.stringify(podTemplates(objects))).not.toContain(
        '"name":"clearml-conf"',
      );

      const refs = (workload: string, c: string) =>
        Object.fromEntries(
          (container(objects, workload, c).env ?? [])
            .filter((e: any) => e.valueFrom?.secretKeyRef)
            .map((e: any) => [e.name, e.valueFrom.secretKeyRef]),
        );
      const apiserver = refs('clearml-apiserver', 'clearml-apiserver');
      const agent = refs(`clearml-agent`, 'k8s-glue');
      for (const ref of [...Object.values(apiserver), ...Object.values(agent)])
        expect((ref as any).name).toBe(TENANT_CREDENTIALS_SECRET);
      expect(
        apiserver.CLEARML__secure__credentials__services_agent__user_key,
      ).toEqual({
        name: TENANT_CREDENTIALS_SECRET,
        key: AGENT_SECRET_KEYS.accessKey,
      });
      expect(agent.CLEARML_API_ACCESS_KEY).toEqual(
        apiserver.CLEARML__secure__credentials__services_agent__user_key,
      );
      expect(agent.CLEARML_API_SECRET_KEY).toEqual(
        apiserver.CLEARML__secure__credentials__services_agent__user_secret,
      );
      // Every key the server chart reads is one the Secret gets.
      expect(
        [...new Set(Object.values(apiserver).map((r: any) => r.key))].every(k =>
          GENERATED_CREDENTIAL_KEYS.includes(k),
        ),
      ).toBe(true);
    },
  );

  it("hosts one label under the apps domain: every Route is covered by the router's default certificate, and the web app is told its API and file servers", async () => {
    const appsDomain = 'apps.ocp.example.com';
    const { objects } = await deploy({
      tenant: 'kappa',
      domain: defaultTenantDomain('kappa', appsDomain),
      agent: { enabled: true },
    });
    const routes = objects.filter(o => o.kind === 'Route');
    expect(routes.length).toBe(3);
    for (const route of routes) {
      // Edge TLS with no certificate of its own: served with the router's default *.<appsDomain>.
      expect(route.spec.tls?.termination).toBe('edge');
      expect(route.spec.tls.certificate).toBeUndefined();
      expect([
        route.spec.host,
        certificateCovers(`*.${appsDomain}`, route.spec.host),
      ]).toEqual([route.spec.host, true]);
    }
    const env = Object.fromEntries(
      (
        container(objects, 'clearml-webserver', 'clearml-webserver').env ?? []
      ).map((e: any) => [e.name, e.value]),
    );
    const hosts = tenantHosts(defaultTenantDomain('kappa', appsDomain));
    expect(JSON.parse(env.WEBSERVER__apiBaseUrl)).toBe(`https://${hosts.api}`);
    expect(JSON.parse(env.WEBSERVER__fileBaseUrl)).toBe(
      `https://${hosts.files}`,
    );
    expect(hosts.web).toBe('clearml-kappa-app.apps.ocp.example.com');
  });

  it("ingress exposure: OpenShift makes an edge TLS Route of every chart Ingress, served with the tenant's secret or the router's default certificate, which covers its host", async () => {
    const appsDomain = 'apps.ocp.example.com';
    for (const tlsSecretName of [undefined, 'kappa-tls']) {
      const { objects } = await deploy({
        tenant: 'kappa',
        domain: defaultTenantDomain('kappa', appsDomain),
        exposure: 'ingress',
        ...(tlsSecretName ? { tlsSecretName } : {}),
      });
      const ingresses = objects.filter(o => o.kind === 'Ingress');
      expect(ingresses.length).toBe(3);
      const routes = ingresses.flatMap(ingressRouteTls);
      const hosts = tenantHosts(defaultTenantDomain('kappa', appsDomain));
      expect(routes.map(r => r.host).sort()).toEqual(
        [hosts.api, hosts.files, hosts.web].sort(),
      );
      for (const route of routes) {
        expect(route).toEqual({
          host: route.host,
          termination: 'edge',
          ...(tlsSecretName ? { secretName: tlsSecretName } : {}),
        });
      }
      // Without the tenant's secret the router serves its default certificate: it covers every host.
      const servedWithDefaultCertificate = tlsSecretName ? [] : routes;
      expect(
        servedWithDefaultCertificate
          .filter(route => !certificateCovers(`*.${appsDomain}`, route.host))
          .map(route => route.host),
      ).toEqual([]);
    }
  });

  it('the ingress-to-route model: an Ingress with neither the annotation nor a secret becomes plain HTTP', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'x' },
      spec: {
        rules: [{ host: 'a.apps.x.io' }],
        tls: [{ hosts: ['a.apps.x.io'] }],
      },
    };
    expect(ingressRouteTls(ingress)).toEqual([{ host: 'a.apps.x.io' }]);
    expect(
      ingressRouteTls({ ...ingress, spec: { ...ingress.spec, tls: [{}] } }),
    ).toEqual([{ host: 'a.apps.x.io', termination: 'edge' }]);
  });

  it('the ExternalSecret and its Password generator validate against the External Secrets CRDs and generate every key once', async () => {
    const { credentials, secret, files } = await deploy({
      tenant: 'gamma',
      domain: 'gamma.apps.ocp.example.com',
      agent: { enabled: true },
    });
    expect(CHART_VERSIONS.oss.server).toBeDefined();
    const externalSecret = crdValidator(
      'external-secrets',
      'external-secrets.io_externalsecrets.yaml',
      'v1',
    );
    const passwordGenerator = crdValidator(
      'external-secrets',
      'generators.external-secrets.io_passwords.yaml',
      'v1alpha1',
    );
    expect(credentials.map(o => o.kind).sort()).toEqual([
      'ExternalSecret',
      'Password',
    ]);
    for (const object of credentials) {
      const validate =
        object.kind === 'ExternalSecret' ? externalSecret : passwordGenerator;
      expect([object.kind, validate(object), validate.errors]).toEqual([
        object.kind,
        true,
        null,
      ]);
      // Before the chart's pods (wave 0), after the namespace (-2).
      expect(
        object.metadata.annotations?.['argocd.argoproj.io/sync-wave'],
      ).toBe('-1');
    }
    expect(
      credentials.find(o => o.kind === 'ExternalSecret')!.spec.refreshPolicy,
    ).toBe('CreatedOnce');
    expect(Object.keys(secret.data).sort()).toEqual(
      [
        ...SERVER_SECRET_KEYS,
        ...Object.values(AGENT_SECRET_KEYS),
        'clearml.conf',
      ].sort(),
    );
    // Nothing secret in git: the file names keys, never values.
    const value = Buffer.from(
      secret.data.apiserver_secret,
      'base64',
    ).toString();
    expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(files['credentials.yaml']).not.toContain(value);
    // CreatedOnce: an existing Secret is never regenerated.
    expect(externalSecretsReconcile(credentials as any, () => true)).toEqual(
      [],
    );
  });

  it("the agent's credential logs in to the server started with the tenant's Secret; the charts' keys and another tenant's token do not", async () => {
    const doubles: ClearmlServerDouble[] = [];
    try {
      const start = async (tenant: string) => {
        const { objects, secret } = await deploy({
          tenant,
          domain: `${tenant}.apps.ocp.example.com`,
          agent: { enabled: true },
        });
        const serverEnv = resolveContainerEnv(
          container(objects, 'clearml-apiserver', 'clearml-apiserver'),
          [secret as any],
        );
        const agentEnv = resolveContainerEnv(
          container(objects, 'clearml-agent', 'k8s-glue'),
          [secret as any],
        );
        const double = await ClearmlServerDouble.start({
          auth: clearmlServerConfigFromEnv(serverEnv),
        });
        doubles.push(double);
        return {
          double,
          agentEnv,
          apiUrl: `https://api.${tenant}.apps.ocp.example.com`,
        };
      };
      const alpha = await start('alpha');
      const beta = await start('beta');

      const ok = await login(
        alpha.double,
        alpha.apiUrl,
        alpha.agentEnv.CLEARML_API_ACCESS_KEY,
        alpha.agentEnv.CLEARML_API_SECRET_KEY,
      );
      expect(ok.status).toBe(200);
      expect(ok.body.meta.result_code).toBe(200);
      const token: string = ok.body.data.token;

      const chartValues = yaml.load(
        fs.readFileSync(
          referencePath('clearml-charts', 'clearml', 'values.yaml'),
          'utf8',
        ),
      ) as any;
      for (const [key, secret] of [
        ['ACCESSKEY', 'SECRETKEY'],
        [chartValues.clearml.apiserverKey, chartValues.clearml.apiserverSecret],
        [chartValues.clearml.testUserKey, chartValues.clearml.testUserSecret],
        [
          beta.agentEnv.CLEARML_API_ACCESS_KEY,
          beta.agentEnv.CLEARML_API_SECRET_KEY,
        ],
      ]) {
        const refused = await login(alpha.double, alpha.apiUrl, key, secret);
        expect([refused.status, refused.body.meta.result_msg]).toEqual([
          401,
          expect.stringContaining('failed to locate provided credentials'),
        ]);
      }

      const whoAmI = (double: ClearmlServerDouble, apiUrl: string) =>
        double.fetchVia()(`${apiUrl}/users.get_current_user`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      expect((await whoAmI(alpha.double, alpha.apiUrl)).status).toBe(200);
      // Each tenant signs with its own secure_auth_token_secret: alpha's token means nothing to beta's server.
      const other = await whoAmI(beta.double, beta.apiUrl);
      expect([
        other.status,
        ((await other.json()) as any).meta.result_subcode,
      ]).toEqual([401, 30]);
    } finally {
      await Promise.all(doubles.map(d => d.close()));
    }
  });
});
