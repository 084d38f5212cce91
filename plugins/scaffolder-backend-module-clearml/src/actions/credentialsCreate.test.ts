import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  ClearmlServerDouble,
  clearmlServerConfigFromEnv,
  KubernetesApiDouble,
  KUBERNETES_READ_ONLY_RULES,
} from '@internal/clearml-test-utils';
import {
  GENERATED_CREDENTIAL_KEYS,
  TENANT_CREDENTIALS_SECRET,
} from '@clearml-openshift/plugin-clearml-common';
import yaml from 'js-yaml';
import fs from 'fs';
import path from 'path';
import { createClearmlCredentialsCreateAction } from './credentialsCreate';
import { examples } from './credentialsCreate.examples';

const REPO = path.resolve(__dirname, '../../../..');
const GRANTER_ROLE = yaml.load(
  fs.readFileSync(
    path.join(REPO, 'docs/rbac/clearml-scc-granter.clusterrole.yaml'),
    'utf8',
  ),
) as { rules: any[] };
const READ_TOKEN = 'sha256~read-5e2a';
const GRANT_TOKEN = 'sha256~grant-77c1';

describe('clearml:credentials:create', () => {
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
    double.load(
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-acme, labels: { 'clear.ml/tenant': acme } }\n",
    );
    double.clearRequests();
    logs = [];
  });
  afterEach(() => double.close());

  function config(
    delivery = 'direct',
    grantToken: string | null = GRANT_TOKEN,
  ) {
    return new ConfigReader({
      clearml: {
        credentials: { delivery },
        clusters: [
          {
            name: 'ocp-test',
            url: double.url,
            skipTLSVerify: true,
            serviceAccountToken: READ_TOKEN,
            ...(grantToken ? { grantToken } : {}),
          },
        ],
      },
    });
  }

  async function run(
    input: Record<string, unknown>,
    options: { cfg?: ConfigReader; extra?: Record<string, unknown> } = {},
  ) {
    const action = createClearmlCredentialsCreateAction({
      config: options.cfg ?? config(),
    });
    const base = createMockActionContext({ input: input as any });
    const capture = (message: string) => logs.push(message);
    const ctx = {
      ...base,
      logger: { ...base.logger, info: capture, warn: capture },
      ...options.extra,
    } as any;
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  const secret = (namespace = 'clearml-acme') =>
    double.get('v1', 'Secret', TENANT_CREDENTIALS_SECRET, namespace) as any;
  const decoded = (s: any) =>
    Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v as string, 'base64').toString(),
      ]),
    );

  it("creates the tenant's Secret with a fresh value per key, labelled for the tenant, and never logs a value", async () => {
    const out = await run({ cluster: 'ocp-test', tenant: 'acme' });
    expect(out).toEqual({
      secret: TENANT_CREDENTIALS_SECRET,
      delivery: 'direct',
      created: true,
    });
    const created = secret();
    expect(created.metadata.labels).toMatchObject({
      'clear.ml/tenant': 'acme',
    });
    const values = decoded(created);
    expect(Object.keys(values).sort()).toEqual(
      [...GENERATED_CREDENTIAL_KEYS, 'clearml.conf'].sort(),
    );
    const generated = GENERATED_CREDENTIAL_KEYS.map(k => values[k]);
    for (const value of generated) expect(value).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(new Set(generated).size).toBe(generated.length);
    for (const value of generated) expect(logs.join('\n')).not.toContain(value);
    expect(
      double.writeRequests().map(r => `${r.method} ${r.path} ${r.token}`),
    ).toEqual([`POST /api/v1/namespaces/clearml-acme/secrets granter`]);
  });

  it('the server started with the Secret knows the agent credential it holds (and a second tenant gets other values)', async () => {
    await run({ cluster: 'ocp-test', tenant: 'acme' });
    await run({ cluster: 'ocp-test', tenant: 'beta', createNamespace: true });
    const acme = decoded(secret());
    const beta = decoded(secret('clearml-beta'));
    const server = await ClearmlServerDouble.start({
      auth: clearmlServerConfigFromEnv({
        CLEARML__secure__credentials__services_agent__user_key:
          acme.agentk8sglue_key,
        CLEARML__secure__credentials__services_agent__user_secret:
          acme.agentk8sglue_secret,
        CLEARML__secure__auth__token_secret: acme.secure_auth_token_secret,
      }),
    });
    try {
      const login = (key: string, value: string) =>
        server.fetchVia()(
          'https://clearml-acme-api.apps.example.com/auth.login',
          {
            headers: {
              authorization: `Basic ${Buffer.from(`${key}:${value}`).toString('base64')}`,
            },
          },
        );
      expect(
        (await login(acme.agentk8sglue_key, acme.agentk8sglue_secret)).status,
      ).toBe(200);
      expect(
        (await login(beta.agentk8sglue_key, beta.agentk8sglue_secret)).status,
      ).toBe(401);
    } finally {
      await server.close();
    }
    expect(beta.secure_auth_token_secret).not.toBe(
      acme.secure_auth_token_secret,
    );
  });

  it('is idempotent and never overwrites: a second run keeps the Secret as it is', async () => {
    await run({ cluster: 'ocp-test', tenant: 'acme' });
    const first = decoded(secret());
    double.clearRequests();
    const out = await run({ cluster: 'ocp-test', tenant: 'acme' });
    expect(out.created).toBe(false);
    expect(decoded(secret())).toEqual(first);
    expect(double.writeRequests()).toEqual([]);
  });

  it('refuses an existing Secret that lacks keys and writes nothing', async () => {
    double.load([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: TENANT_CREDENTIALS_SECRET,
          namespace: 'clearml-acme',
        },
        data: { apiserver_key: Buffer.from('x').toString('base64') },
      },
    ]);
    double.clearRequests();
    await expect(run({ cluster: 'ocp-test', tenant: 'acme' })).rejects.toThrow(
      ConflictError,
    );
    expect(double.writeRequests()).toEqual([]);
    expect(Object.keys(secret().data)).toEqual(['apiserver_key']);
  });

  it("creates the tenant's namespace first when asked (it exists only after the merge otherwise), labelled for the tenant", async () => {
    await expect(run({ cluster: 'ocp-test', tenant: 'gamma' })).rejects.toThrow(
      /namespace: namespace 'clearml-gamma' does not exist/,
    );
    expect(double.writeRequests()).toEqual([]);
    await run({ cluster: 'ocp-test', tenant: 'gamma', createNamespace: true });
    expect(
      double.get('v1', 'Namespace', 'clearml-gamma')?.metadata?.labels,
    ).toMatchObject({ 'clear.ml/tenant': 'gamma' });
    expect(secret('clearml-gamma')).toBeDefined();
  });

  it('a dry run writes nothing', async () => {
    const out = await run(
      { cluster: 'ocp-test', tenant: 'delta', createNamespace: true },
      { extra: { isDryRun: true } },
    );
    expect(out.created).toBe(true);
    expect(double.get('v1', 'Namespace', 'clearml-delta')).toBeUndefined();
    expect(secret('clearml-delta')).toBeUndefined();
    await run(
      { cluster: 'ocp-test', tenant: 'acme' },
      { extra: { isDryRun: true } },
    );
    expect(secret()).toBeUndefined();
  });

  it('refuses a namespace another tenant owns, and a credential without the rights, before any write', async () => {
    double.load(
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: clearml-other, labels: { 'clear.ml/tenant': someone } }\n",
    );
    double.clearRequests();
    await expect(
      run({ cluster: 'ocp-test', tenant: 'acme', namespace: 'clearml-other' }),
    ).rejects.toThrow(/namespace/);
    await expect(
      run(
        { cluster: 'ocp-test', tenant: 'acme' },
        { cfg: config('direct', READ_TOKEN) },
      ),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      run(
        { cluster: 'ocp-test', tenant: 'acme' },
        { cfg: config('direct', null) },
      ),
    ).rejects.toThrow(InputError);
    await expect(
      run({ cluster: 'ocp-test', tenant: 'Bad Name' }),
    ).rejects.toThrow(InputError);
    expect(double.writeRequests()).toEqual([]);
  });

  it('does nothing with delivery externalSecrets (the pull request holds the ExternalSecret)', async () => {
    const out = await run(
      { cluster: 'ocp-test', tenant: 'acme' },
      { cfg: config('externalSecrets') },
    );
    expect(out).toEqual({
      secret: TENANT_CREDENTIALS_SECRET,
      delivery: 'externalSecrets',
      created: false,
    });
    expect(double.requests).toEqual([]);
  });

  it.each(examples.map(e => [e.description, e] as const))(
    'example: %s',
    async (_d, example) => {
      const step = (yaml.load(example.example) as any).steps[0];
      const input = {
        ...step.input,
        cluster: 'ocp-test',
        tenant: String(step.input.tenant).startsWith('$')
          ? 'acme'
          : step.input.tenant,
      };
      const out = await run(input);
      expect(out.created).toBe(true);
    },
  );
});
