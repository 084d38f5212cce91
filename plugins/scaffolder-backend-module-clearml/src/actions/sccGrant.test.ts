import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { AddressInfo } from 'net';
import scaffolderModuleClearml from '../index';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  closedPortUrl,
  releaseDatabasesOnStop,
  KubernetesApiDouble,
  KubernetesDoubleObject,
  KUBERNETES_READ_ONLY_RULES,
  referencePath,
  startSilentServer,
} from '@internal/clearml-test-utils';
import { promises as fs } from 'fs';
import yaml from 'js-yaml';
import os from 'os';
import path from 'path';
import { createClearmlSccGrantAction } from './sccGrant';
import { examples } from './sccGrant.examples';
import { createClearmlValuesRenderAction } from './valuesRender';

const REPO = path.resolve(__dirname, '../../../..');
const DEFAULT_SCCS = referencePath('openshift-api', 'default-sccs');
const GRANTER_ROLE = yaml.load(
  require('fs').readFileSync(
    path.join(REPO, 'docs/rbac/clearml-scc-granter.clusterrole.yaml'),
    'utf8',
  ),
) as { rules: any[] };

const READ_TOKEN = 'sha256~read-4c1d7e0b';
const GRANT_TOKEN = 'sha256~grant-93fa61d2';
const RBAC = 'rbac.authorization.k8s.io/v1';
const ANYUID = 'system:openshift:scc:anyuid';

/** The documented ClusterRole with more SCC ClusterRoles in resourceNames, as the docs say to do when clearml.scc.allowed grows. */
function granterRulesFor(extraSccs: string[]) {
  return GRANTER_ROLE.rules.map(rule =>
    rule.resourceNames
      ? {
          ...rule,
          resourceNames: [
            ...rule.resourceNames,
            ...extraSccs.map(scc => `system:openshift:scc:${scc}`),
          ],
        }
      : rule,
  );
}

function clusterEntry(url: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'ocp-test',
    url,
    skipTLSVerify: true,
    serviceAccountToken: READ_TOKEN,
    grantToken: GRANT_TOKEN,
    ...extra,
  };
}

// Starting a test backend takes seconds on a loaded machine: with jest's 5 s default a test times out before
// it stops its backend, whose open server then keeps the worker from exiting.
jest.setTimeout(60_000);

describe('clearml:scc:grant', () => {
  let double: KubernetesApiDouble;
  let logs: string[];

  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      tokens: [
        {
          name: 'reader',
          token: READ_TOKEN,
          rules: KUBERNETES_READ_ONLY_RULES,
        },
        // Exactly the documented ClusterRole: the tests prove it is enough.
        {
          name: 'granter',
          token: GRANT_TOKEN,
          user: 'system:serviceaccount:backstage:clearml-scc-granter',
          rules: GRANTER_ROLE.rules,
        },
      ],
    });
    for (const scc of ['anyuid', 'nonroot-v2', 'privileged']) {
      double.loadFile(
        path.join(
          DEFAULT_SCCS,
          `0000_20_kube-apiserver-operator_00_cr-scc-${scc}.yaml`,
        ),
      );
    }
    double.load(
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-acme, labels: { 'clear.ml/tenant': acme } }\n",
    );
    double.clearRequests();
    logs = [];
  });
  afterEach(() => double.close());

  function config(
    clusters: Array<Record<string, any>> = [clusterEntry(double.url)],
    allowed?: string[],
    extra: Record<string, any> = {},
  ) {
    return new ConfigReader({
      clearml: { clusters, ...(allowed ? { scc: { allowed } } : {}), ...extra },
    } as any);
  }

  function context(
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) {
    const base = createMockActionContext({ input: input as any });
    const capture = (message: string, meta?: unknown) => {
      logs.push(`${message} ${meta ? JSON.stringify(meta) : ''}`);
    };
    const logger = {
      ...base.logger,
      info: capture,
      warn: capture,
      error: capture,
      debug: capture,
    };
    return { ...base, logger, ...extra } as any;
  }

  async function run(
    input: Record<string, unknown>,
    options: { cfg?: ConfigReader; extra?: Record<string, unknown> } = {},
  ) {
    const action = createClearmlSccGrantAction({
      config: options.cfg ?? config(),
    });
    const ctx = context(input, options.extra);
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  const serverGrants = [
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-apiserver',
      reason: 'image runs as root',
    },
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-fileserver',
      reason: 'image runs as root',
    },
    {
      scc: 'anyuid',
      serviceAccount: 'clearml-webserver',
      reason: 'image runs as root',
    },
  ];

  function binding(
    namespace = 'clearml-acme',
    name = ANYUID,
  ): KubernetesDoubleObject | undefined {
    return double.get(RBAC, 'RoleBinding', name, namespace);
  }

  it('first grant: creates the RoleBinding oc would create', async () => {
    const out = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants,
    });
    expect(out).toEqual({
      bindings: [
        {
          name: ANYUID,
          scc: 'anyuid',
          added: [
            'clearml-apiserver',
            'clearml-fileserver',
            'clearml-webserver',
          ],
        },
      ],
    });
    const created = binding()!;
    expect(created.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: ANYUID,
    });
    expect(created.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'clearml-apiserver',
        namespace: 'clearml-acme',
      },
      {
        kind: 'ServiceAccount',
        name: 'clearml-fileserver',
        namespace: 'clearml-acme',
      },
      {
        kind: 'ServiceAccount',
        name: 'clearml-webserver',
        namespace: 'clearml-acme',
      },
    ]);
    expect(
      double.writeRequests().map(r => `${r.method} ${r.path} ${r.token}`),
    ).toEqual([
      'POST /apis/rbac.authorization.k8s.io/v1/namespaces/clearml-acme/rolebindings granter',
    ]);
  });

  it('no grants (a restricted tenant): sends no request at all', async () => {
    expect(
      await run({ cluster: 'ocp-test', tenant: 'acme', grants: [] }),
    ).toEqual({ bindings: [] });
    expect(double.requests).toEqual([]);
  });

  it('re-run: nothing changes and added is empty', async () => {
    await run({ cluster: 'ocp-test', tenant: 'acme', grants: serverGrants });
    const before = binding()!;
    double.clearRequests();
    const out = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants,
    });
    expect(out).toEqual({
      bindings: [{ name: ANYUID, scc: 'anyuid', added: [] }],
    });
    expect(double.writeRequests()).toEqual([]);
    expect(binding()).toEqual(before);
  });

  it('append: adds missing accounts and keeps subjects someone else added', async () => {
    double.load(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: '${ANYUID}', namespace: clearml-acme }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: '${ANYUID}' }
subjects:
  - { kind: ServiceAccount, name: legacy-job, namespace: clearml-acme }
  - { kind: ServiceAccount, name: clearml-apiserver, namespace: clearml-acme }
  - { kind: User, apiGroup: rbac.authorization.k8s.io, name: alice }
`);
    double.clearRequests();
    const out = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants,
    });
    expect(out.bindings).toEqual([
      {
        name: ANYUID,
        scc: 'anyuid',
        added: ['clearml-fileserver', 'clearml-webserver'],
      },
    ]);
    expect(binding()!.subjects.map((s: any) => `${s.kind}/${s.name}`)).toEqual([
      'ServiceAccount/legacy-job',
      'ServiceAccount/clearml-apiserver',
      'User/alice',
      'ServiceAccount/clearml-fileserver',
      'ServiceAccount/clearml-webserver',
    ]);
    expect(double.writeRequests().map(r => [r.method, r.contentType])).toEqual([
      ['PATCH', 'application/json-patch+json'],
    ]);
    expect(logs.join('\n')).toContain('kept its 3 existing subjects');
  });

  it('retries an append when someone changed the binding meanwhile (409 Conflict)', async () => {
    double.load([ocBinding(['legacy-job'])] as any);
    double.failNext({
      method: 'PATCH',
      code: 409,
      reason: 'Conflict',
      message: `Operation cannot be fulfilled on rolebindings.rbac.authorization.k8s.io "${ANYUID}": the object has been modified; please apply your changes to the latest version and try again`,
    });
    const out = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants.slice(0, 1),
    });
    expect(out.bindings[0].added).toEqual(['clearml-apiserver']);
    expect(double.writeRequests().map(r => [r.method, r.status])).toEqual([
      ['PATCH', 409],
      ['PATCH', 200],
    ]);
    expect(binding()!.subjects.map((s: any) => s.name)).toEqual([
      'legacy-job',
      'clearml-apiserver',
    ]);
  });

  function ocBinding(serviceAccounts: string[], roleName = ANYUID) {
    return {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: ANYUID, namespace: 'clearml-acme' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: roleName,
      },
      subjects: serviceAccounts.map(name => ({
        kind: 'ServiceAccount',
        name,
        namespace: 'clearml-acme',
      })),
    };
  }

  it('refuses a same-named binding with another roleRef, sending no write', async () => {
    double.load([ocBinding(['someone'], 'edit')] as any);
    double.clearRequests();
    await expect(
      run({ cluster: 'ocp-test', tenant: 'acme', grants: serverGrants }),
    ).rejects.toThrow(
      new InputError(
        `grants[0].scc: RoleBinding '${ANYUID}' in namespace clearml-acme on cluster 'ocp-test' binds ClusterRole 'edit', not ClusterRole '${ANYUID}'; it was not made by oc or this action and is left alone`,
      ),
    );
    expect(double.writeRequests()).toEqual([]);
    expect(binding()!.roleRef.name).toBe('edit');
  });

  describe('refusals, each before any write', () => {
    const cases: Array<
      [string, Record<string, unknown>, RegExp, (() => ConfigReader)?]
    > = [
      [
        'an SCC outside clearml.scc.allowed',
        { grants: [{ scc: 'privileged', serviceAccount: 'clearml-elastic' }] },
        /^grants\[0\]\.scc: SCC 'privileged' is not allowed on this Backstage; clearml\.scc\.allowed is \[anyuid, nonroot-v2\]$/,
      ],
      [
        'a protected namespace (kube-*)',
        { namespace: 'kube-system' },
        /namespace: must not be 'default', 'openshift', 'kube-\*' or 'openshift-\*'.*\(got "kube-system"\)/,
      ],
      [
        'a protected namespace (openshift-*)',
        { namespace: 'openshift-monitoring' },
        /namespace: must not be .*\(got "openshift-monitoring"\)/,
      ],
      [
        'the default namespace',
        { namespace: 'default' },
        /namespace: must not be .*\(got "default"\)/,
      ],
      [
        'a namespace outside the tenant pattern',
        { namespace: 'payments' },
        /^namespace: namespace 'payments' does not match the tenant namespace pattern 'clearml-\*' \(clearml\.tenants\.namespacePattern\)$/,
      ],
      [
        'a ServiceAccount the tenant does not need (default)',
        { grants: [{ scc: 'anyuid', serviceAccount: 'default' }] },
        /^grants\[0\]: anyuid for ServiceAccount 'default' is not a grant tenant 'acme' needs \(edition oss, profile anyuid: anyuid -> clearml-apiserver, anyuid -> clearml-fileserver, anyuid -> clearml-webserver\) and 'default' is not in clearml\.scc\.allowedServiceAccounts$/,
      ],
      [
        'a bad securityProfile, naming the field',
        { securityProfile: 'root' },
        /securityProfile: must be one of 'restricted', 'nonroot', 'anyuid' \(got "root"\)/,
      ],
      [
        'an unknown cluster',
        { cluster: 'ocp-elsewhere' },
        /^cluster: unknown cluster 'ocp-elsewhere'; configured clusters: ocp-test$/,
      ],
      [
        'a ServiceAccount name that is not a DNS-1123 label',
        { grants: [{ scc: 'anyuid', serviceAccount: 'ClearML_API' }] },
        /^grants\[0\]\.serviceAccount: 'ClearML_API' is not a DNS-1123 label/,
      ],
      [
        'a namespace name that is not a DNS-1123 label',
        { namespace: 'Clearml.Acme' },
        /namespace: must be a DNS-1123 label of at most 63 characters \(got "Clearml\.Acme"\)/,
      ],
      [
        'a missing namespace without createNamespace',
        { tenant: 'new' },
        /^namespace: namespace 'clearml-new' does not exist on cluster 'ocp-test'; set createNamespace: true/,
      ],
    ];
    it.each(cases)('%s', async (_name, override, message) => {
      const input = {
        cluster: 'ocp-test',
        tenant: 'acme',
        grants: serverGrants,
        ...override,
      };
      const error = await run(input).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(double.writeRequests()).toEqual([]);
    });

    it('a cluster without grantToken (e.g. one from the kubernetes plugin config)', async () => {
      const cfg = new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'ocp-test',
                  url: double.url,
                  skipTLSVerify: true,
                  serviceAccountToken: READ_TOKEN,
                },
              ],
            },
          ],
        },
      });
      const error = await run(
        { cluster: 'ocp-test', tenant: 'acme', grants: serverGrants },
        { cfg },
      ).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^cluster: cluster 'ocp-test' has no grant credential; add grantToken/,
      );
      expect(double.requests).toEqual([]);
    });

    it('an allowed SCC whose ClusterRole the cluster lacks', async () => {
      double.addToken({
        name: 'granter-custom',
        token: 'sha256~custom-1',
        rules: granterRulesFor(['custom-ml']),
      });
      const cfg = config(
        [clusterEntry(double.url, { grantToken: 'sha256~custom-1' })],
        undefined,
        {
          scc: {
            allowed: ['anyuid', 'custom-ml'],
            allowedServiceAccounts: ['clearml-apiserver'],
          },
        },
      );
      const error = await run(
        {
          cluster: 'ocp-test',
          tenant: 'acme',
          grants: [
            ...serverGrants,
            { scc: 'custom-ml', serviceAccount: 'clearml-apiserver' },
          ],
        },
        { cfg },
      ).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^grants\[3\]\.scc: ClusterRole 'system:openshift:scc:custom-ml' does not exist on cluster 'ocp-test', so a binding to it would grant nothing/,
      );
      expect(double.writeRequests()).toEqual([]);
    });
  });

  it("refuses another tenant's namespace and an unlabelled one unless config adopts it, before any write", async () => {
    double.load(
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-vision, labels: { 'clear.ml/tenant': vision } }\n",
    );
    double.load(
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-legacy }\n',
    );
    double.clearRequests();
    const other = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      namespace: 'clearml-vision',
    }).catch(e => e);
    expect(other).toBeInstanceOf(ConflictError);
    expect(other.message).toBe(
      "namespace: namespace 'clearml-vision' belongs to tenant 'vision' (label clear.ml/tenant=vision), not to 'acme'; nothing was written",
    );
    const unlabelled = await run({
      cluster: 'ocp-test',
      tenant: 'legacy',
    }).catch(e => e);
    expect(unlabelled).toBeInstanceOf(ConflictError);
    expect(unlabelled.message).toContain(
      'or adopt it for the tenant in clearml.tenants.adopt',
    );
    expect(double.writeRequests()).toEqual([]);

    const adopted = config(undefined, undefined, {
      tenants: { adopt: [{ namespace: 'clearml-legacy', tenant: 'legacy' }] },
    });
    const out = await run(
      { cluster: 'ocp-test', tenant: 'legacy' },
      { cfg: adopted },
    );
    expect(out.bindings[0].added).toEqual([
      'clearml-apiserver',
      'clearml-fileserver',
      'clearml-webserver',
    ]);
  });

  it('grants privileged only when clearml.scc.allowed lists it and the credential may bind it', async () => {
    const input = {
      cluster: 'ocp-test',
      tenant: 'acme',
      elasticsearchSysctlInit: true,
      grants: [
        {
          scc: 'privileged',
          serviceAccount: 'clearml-elastic-master',
          reason: 'sysctl init container',
        },
      ],
    };
    const allowed = ['anyuid', 'nonroot-v2', 'privileged'];
    // Listed, but the documented role was not extended: the access review says so before anything is sent.
    const refused = await run(input, { cfg: config(undefined, allowed) }).catch(
      e => e,
    );
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect(refused.message).toContain(
      "The grant credential of cluster 'ocp-test' may not get clusterroles.rbac.authorization.k8s.io named system:openshift:scc:privileged, " +
        'bind clusterroles.rbac.authorization.k8s.io named system:openshift:scc:privileged; nothing was written',
    );
    expect(double.writeRequests()).toEqual([]);

    double.addToken({
      name: 'granter-privileged',
      token: 'sha256~priv-1',
      rules: granterRulesFor(['privileged']),
    });
    const out = await run(input, {
      cfg: config(
        [clusterEntry(double.url, { grantToken: 'sha256~priv-1' })],
        allowed,
      ),
    });
    expect(out.bindings).toEqual([
      {
        name: 'system:openshift:scc:privileged',
        scc: 'privileged',
        added: ['clearml-elastic-master'],
      },
    ]);
  });

  it("createNamespace: creates the namespace, labelled as the tenant's and made by Backstage, then the bindings", async () => {
    const grants = [
      ...serverGrants,
      {
        scc: 'nonroot-v2',
        serviceAccount: 'clearml-agent-sa',
        reason: 'agent',
      },
    ];
    const cfg = config(undefined, undefined, {
      scc: { allowedServiceAccounts: ['clearml-agent-sa'] },
    });
    const out = await run(
      { cluster: 'ocp-test', tenant: 'new', createNamespace: true, grants },
      { cfg },
    );
    expect(out.bindings.map((b: any) => [b.name, b.added.length])).toEqual([
      [ANYUID, 3],
      ['system:openshift:scc:nonroot-v2', 1],
    ]);
    const ns = double.get('v1', 'Namespace', 'clearml-new')!;
    expect(ns.metadata!.labels).toEqual({
      'clear.ml/tenant': 'new',
      'app.kubernetes.io/part-of': 'clearml-new',
      'app.kubernetes.io/managed-by': 'backstage',
    });
    expect(ns.metadata!.annotations).toEqual({
      'backstage.io/created-by': 'clearml:scc:grant',
    });
    expect(double.writeRequests().map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/namespaces',
      'POST /apis/rbac.authorization.k8s.io/v1/namespaces/clearml-new/rolebindings',
      'POST /apis/rbac.authorization.k8s.io/v1/namespaces/clearml-new/rolebindings',
    ]);
  });

  it('dry run: sends the same requests with dryRun=All and stores nothing', async () => {
    double.load([ocBinding(['legacy-job'])] as any);
    const grants = [
      ...serverGrants,
      { scc: 'nonroot-v2', serviceAccount: 'clearml-agent-sa' },
    ];
    double.clearRequests();
    const cfg = config(undefined, undefined, {
      scc: { allowedServiceAccounts: ['clearml-agent-sa'] },
    });
    const dry = await run(
      { cluster: 'ocp-test', tenant: 'acme', grants },
      { cfg, extra: { isDryRun: true } },
    );
    const dryWrites = double.writeRequests();
    expect(
      dryWrites.every(
        r => r.dryRun && r.query.dryRun === 'All' && r.status < 300,
      ),
    ).toBe(true);
    expect(binding()!.subjects.map((s: any) => s.name)).toEqual(['legacy-job']);
    expect(
      binding('clearml-acme', 'system:openshift:scc:nonroot-v2'),
    ).toBeUndefined();

    double.clearRequests();
    const real = await run(
      { cluster: 'ocp-test', tenant: 'acme', grants },
      { cfg },
    );
    expect(real).toEqual(dry);
    expect(double.writeRequests().map(r => [r.method, r.path, r.body])).toEqual(
      dryWrites.map(r => [r.method, r.path, r.body]),
    );
    expect(double.writeRequests().some(r => r.dryRun)).toBe(false);
  });

  it('dry run with createNamespace on a missing namespace stores nothing', async () => {
    const out = await run(
      {
        cluster: 'ocp-test',
        tenant: 'new',
        createNamespace: true,
        grants: serverGrants,
      },
      { extra: { isDryRun: true } },
    );
    expect(out.bindings[0].added).toHaveLength(3);
    expect(double.get('v1', 'Namespace', 'clearml-new')).toBeUndefined();
    expect(double.writeRequests().map(r => [r.method, r.query.dryRun])).toEqual(
      [
        ['POST', 'All'],
        ['POST', 'All'],
      ],
    );
  });

  it('a retried task does not repeat a change its checkpoint recorded', async () => {
    const checkpoints = new Map<string, unknown>();
    const checkpoint = async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<unknown>;
    }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    };
    const input = { cluster: 'ocp-test', tenant: 'acme', grants: serverGrants };
    const first = await run(input, { extra: { checkpoint } });
    // Someone removes an account between the attempts; the retried task must not re-add it behind their back.
    double.load([
      ocBinding(['clearml-apiserver', 'clearml-fileserver']),
    ] as any);
    double.clearRequests();
    const retried = await run(input, { extra: { checkpoint } });
    expect(retried).toEqual(first);
    expect(double.writeRequests()).toEqual([]);
    expect([...checkpoints.keys()]).toEqual([
      'clearml:scc:grant:ocp-test/clearml-acme:anyuid',
    ]);
  });

  it('refuses a credential without the rights before any write (SelfSubjectAccessReview)', async () => {
    double.addToken({
      name: 'no-bind',
      token: 'sha256~nobind-77',
      user: 'system:serviceaccount:backstage:clearml-scc-granter',
      rules: GRANTER_ROLE.rules
        .filter(r => !r.verbs.includes('bind'))
        .concat([
          {
            verbs: ['get'],
            apiGroups: ['rbac.authorization.k8s.io'],
            resources: ['clusterroles'],
          },
        ]),
    });
    const cfg = config([
      clusterEntry(double.url, { grantToken: 'sha256~nobind-77' }),
    ]);
    const error = await run(
      { cluster: 'ocp-test', tenant: 'acme', grants: serverGrants },
      { cfg },
    ).catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      `The grant credential of cluster 'ocp-test' may not bind clusterroles.rbac.authorization.k8s.io named ${ANYUID}; ` +
        'nothing was written. Bind it to the ClusterRole in docs/scc-grant.md',
    );
    expect(double.writeRequests()).toEqual([]);
    expect(error.message).not.toContain('nobind-77');
  });

  it('explains a 5xx from the API server', async () => {
    double.failNext({
      method: 'POST',
      path: '/rolebindings',
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: etcdserver: request timed out',
    });
    await expect(
      run({ cluster: 'ocp-test', tenant: 'acme', grants: serverGrants }),
    ).rejects.toThrow(
      `Creating RoleBinding ${ANYUID} in clearml-acme failed: cluster 'ocp-test' answered 500 InternalError: Internal error occurred: etcdserver: request timed out`,
    );
  });

  describe('a dead cluster fails in seconds with a clear message', () => {
    it('closed port', async () => {
      const url = await closedPortUrl();
      const started = Date.now();
      const error = await run(
        { cluster: 'ocp-test', tenant: 'acme', grants: serverGrants },
        { cfg: config([clusterEntry(url)]) },
      ).catch(e => e);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        "Reading namespace clearml-acme on cluster 'ocp-test' failed: cluster 'ocp-test' cannot be reached (ECONNREFUSED); " +
          'is the URL right and the API server up? (nothing was changed; run the task again once the cluster answers)',
      );
    });

    it('a server that accepts and never answers', async () => {
      const silent = await startSilentServer();
      try {
        const started = Date.now();
        const error = await run(
          { cluster: 'ocp-test', tenant: 'acme', grants: serverGrants },
          {
            cfg: config([
              clusterEntry(silent.url, { requestTimeoutSeconds: 1 }),
            ]),
          },
        ).catch(e => e);
        expect(Date.now() - started).toBeLessThan(30_000);
        expect(error).toBeInstanceOf(ServiceUnavailableError);
        expect(error.message).toBe(
          "Reading namespace clearml-acme on cluster 'ocp-test' failed: cluster 'ocp-test' did not answer within 1s; " +
            'is the API server up and reachable from Backstage? (nothing was changed; run the task again once the cluster answers)',
        );
      } finally {
        await silent.close();
      }
    });
  });

  it('never shows a token in logs, outputs or errors', async () => {
    const out = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants,
    });
    const refused = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      namespace: 'kube-system',
      grants: serverGrants,
    }).catch(e => e);
    double.failNext({
      code: 503,
      reason: 'ServiceUnavailable',
      message: `echo ${GRANT_TOKEN}`,
    });
    const failed = await run({
      cluster: 'ocp-test',
      tenant: 'acme',
      grants: serverGrants,
    }).catch(e => e);
    expect(failed.message).toContain('[redacted]');
    const seen = JSON.stringify([
      out,
      logs,
      refused.message,
      failed.message,
      double.requests,
    ]);
    expect(seen).not.toContain(GRANT_TOKEN);
    expect(seen).not.toContain(READ_TOKEN);
    expect(
      double.requests
        .filter(r => r.verb !== 'discovery')
        .every(r => r.token === 'granter'),
    ).toBe(true);
  });

  it("takes the values action's sccGrants output as is, and runs every example", async () => {
    const workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'clearml-scc-'),
    );
    try {
      const valuesCtx = createMockActionContext({
        input: { tenant: 'acme', domain: 'acme.example.com' } as any,
        workspacePath,
      });
      await createClearmlValuesRenderAction().handler(valuesCtx as any);
      const values = Object.fromEntries(
        (valuesCtx.output as jest.Mock).mock.calls,
      );
      const stepOutputs: Record<string, unknown> = {
        '${{ steps.values.output.sccGrants }}': values.sccGrants,
        '${{ parameters.tenant }}': 'acme',
        '${{ parameters.edition }}': 'oss',
        '${{ parameters.securityProfile }}': 'anyuid',
        '${{ parameters.agent }}': false,
      };
      const resolve = (v: unknown): unknown => {
        if (typeof v === 'string') return v in stepOutputs ? stepOutputs[v] : v;
        if (Array.isArray(v) || !v || typeof v !== 'object') return v;
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, resolve(x)]),
        );
      };
      double.load(
        "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-beta, labels: { 'clear.ml/tenant': beta } }\n",
      );
      const cfg = config([clusterEntry(double.url, { name: 'ocp-prod' })]);
      for (const example of examples) {
        const input = resolve(
          (yaml.load(example.example) as any).steps[0].input,
        ) as Record<string, unknown>;
        const out = await run(input, { cfg });
        expect(out.bindings.length).toBeGreaterThan(0);
      }
      const fromValues = binding(values.namespace)!;
      expect(fromValues.subjects.map((s: any) => s.name)).toEqual(
        values.sccGrants
          .filter((g: any) => g.scc === 'anyuid')
          .map((g: any) => g.serviceAccount),
      );
    } finally {
      await fs.rm(workspacePath, { recursive: true, force: true });
    }
  });

  it('runs in a scaffolder template dry run, fed by the values step, and changes nothing', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleClearml,
        ...releaseDatabasesOnStop('scaffolder'),
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory: os.tmpdir() },
            clearml: { clusters: [clusterEntry(double.url)] },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'mock' },
              spec: {},
            },
          ],
        }),
      ],
    });
    try {
      const baseUrl = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/scaffolder`;
      const template = {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'clearml-tenant' },
        spec: {
          owner: 'group:default/platform',
          type: 'service',
          parameters: [
            {
              properties: {
                tenant: { type: 'string' },
                domain: { type: 'string' },
              },
            },
          ],
          steps: [
            {
              id: 'values',
              name: 'Values',
              action: 'clearml:values:render',
              input: {
                tenant: '${{ parameters.tenant }}',
                domain: '${{ parameters.domain }}',
              },
            },
            {
              id: 'scc',
              name: 'Grant SCCs',
              action: 'clearml:scc:grant',
              input: {
                cluster: 'ocp-test',
                tenant: '${{ parameters.tenant }}',
                grants: '${{ steps.values.output.sccGrants }}',
                createNamespace: true,
              },
            },
          ],
          output: { bindings: '${{ steps.scc.output.bindings }}' },
        },
      };
      const response = await fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers: {
          Authorization: mockCredentials.user.header(),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          template,
          values: { tenant: 'zeta', domain: 'zeta.example.com' },
          directoryContents: [],
        }),
      });
      const body = await response.json();
      expect(response.status).toBe(200);
      expect(body.output.bindings).toEqual([
        expect.objectContaining({
          name: ANYUID,
          scc: 'anyuid',
          added: expect.arrayContaining([
            'clearml-apiserver',
            'clearml-fileserver',
            'clearml-webserver',
          ]),
        }),
      ]);
      expect(double.writeRequests().length).toBeGreaterThan(0);
      expect(double.writeRequests().every(r => r.query.dryRun === 'All')).toBe(
        true,
      );
      expect(double.get('v1', 'Namespace', 'clearml-zeta')).toBeUndefined();

      const actions = (await (
        await fetch(`${baseUrl}/v2/actions`, {
          headers: { Authorization: mockCredentials.user.header() },
        })
      ).json()) as any[];
      const grant = actions.find(a => a.id === 'clearml:scc:grant');
      expect(grant.schema.input.required).toEqual(['cluster', 'tenant']);
      expect(grant.examples).toHaveLength(examples.length);
    } finally {
      await backend.stop();
    }
  });
});
