/**
 * The permission policy of docs/security.md in the real scaffolder and the
 * health API (the policy below, as docs/security.md shows it): only the platform group's members run `clearml:scc:grant`
 * (`scaffolder.action.execute`, conditional on HAS_ACTION_ID, which the
 * scaffolder evaluates per step), and `clearml.tenant.health.read` denied
 * answers 403. The permissions service evaluates ClearmlPermissionPolicy as
 * the permission backend would; group membership is what the catalog would
 * resolve at sign-in, fixed here.
 */
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTemplateConditionalDecision,
  scaffolderActionConditions,
  scaffolderTemplateConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  clearmlTenantHealthReadPermission,
  clearmlTenantOwnerAnyPermission,
} from '@clearml-openshift/plugin-clearml-common';
import {
  CLUSTER,
  E2eWorld,
  GITOPS,
  startWorld,
  tenantFormValues,
} from '../e2e/fixtures';
import {
  backendApi,
  eventually,
  runTenantTemplate,
  startTenantBackend,
} from '../e2e/__testUtils__/backendApi';

jest.setTimeout(120_000);

const SCC_GRANT_ACTION = 'clearml:scc:grant';
const GRANT_STEP_TAG = 'clearml-scc-grant';

/**
 * The policy docs/security.md shows: only the platform group may run `clearml:scc:grant`
 * (scaffolder.action.execute, conditional on HAS_ACTION_ID); only the listed groups read tenants' health.
 */
class ClearmlPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly options: {
      /** The group whose members may apply SCC grants, e.g. group:default/platform. */
      platformGroup: string;
      /** Groups whose members may read tenants' health (the platform group always may). */
      healthReaders: string[];
    },
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const refs = user?.info.ownershipEntityRefs ?? [];
    const isPlatform = refs.includes(this.options.platformGroup);

    if (isPermission(request.permission, templateStepReadPermission)) {
      if (isPlatform) return { result: AuthorizeResult.ALLOW };
      // The template's grant step (tagged clearml-scc-grant) is dropped from everyone else's tasks.
      return createScaffolderTemplateConditionalDecision(request.permission, {
        not: scaffolderTemplateConditions.hasTag({ tag: GRANT_STEP_TAG }),
      });
    }
    if (isPermission(request.permission, actionExecutePermission)) {
      if (isPlatform) return { result: AuthorizeResult.ALLOW };
      // Defence in depth: a template of their own that calls the action is refused at that step.
      return createScaffolderActionConditionalDecision(request.permission, {
        not: scaffolderActionConditions.hasActionId({
          actionId: SCC_GRANT_ACTION,
        }),
      });
    }
    if (request.permission.name === clearmlTenantOwnerAnyPermission.name) {
      // The platform team may name any existing owner; everyone else themselves or one of their groups.
      return {
        result: isPlatform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (request.permission.name === clearmlTenantHealthReadPermission.name) {
      const allowed =
        isPlatform ||
        refs.some(ref => this.options.healthReaders.includes(ref));
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const PLATFORM = 'group:default/platform';
const ALICE = 'user:default/alice'; // platform engineer
const BOB = 'user:default/bob'; // ML team: may read health, may not grant
const MALLORY = 'user:default/mallory'; // in no group
const MEMBERS: Record<string, string[]> = {
  [ALICE]: [ALICE, PLATFORM],
  [BOB]: [BOB, 'group:default/ml-team'],
  [MALLORY]: [MALLORY],
};

const policy = new ClearmlPermissionPolicy({
  platformGroup: PLATFORM,
  healthReaders: ['group:default/ml-team'],
});

/** The permissions service a permission backend would give: the policy's decision per request. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => {
    const decide = (permission: any, credentials: BackstageCredentials) => {
      const userEntityRef = (
        credentials.principal as { userEntityRef?: string }
      ).userEntityRef;
      const user = userEntityRef
        ? {
            credentials,
            info: {
              userEntityRef,
              ownershipEntityRefs: MEMBERS[userEntityRef] ?? [userEntityRef],
            },
          }
        : undefined;
      return policy.handle({ permission }, user as any);
    };
    return {
      async authorize(
        requests: any[],
        options: { credentials: BackstageCredentials },
      ) {
        return Promise.all(
          requests.map(async r => {
            const decision = await decide(r.permission, options.credentials);
            return {
              result:
                decision.result === AuthorizeResult.ALLOW
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            };
          }),
        );
      },
      async authorizeConditional(
        requests: any[],
        options: { credentials: BackstageCredentials },
      ) {
        return Promise.all(
          requests.map(r => decide(r.permission, options.credentials)),
        );
      },
    } as any;
  },
});

let world: E2eWorld;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let baseUrl: string;
const api = (user: string, urlPath: string, init?: RequestInit) =>
  backendApi(() => baseUrl, user)(urlPath, init);

async function runTemplate(
  user: string,
  tenant: string,
): Promise<{ status: string; log: string }> {
  return runTenantTemplate(
    backendApi(() => baseUrl, user),
    tenantFormValues(tenant, { applyGrants: true }),
  );
}

const bindings = (namespace: string) =>
  world.kubernetes
    .list('rbac.authorization.k8s.io/v1', 'RoleBinding', namespace)
    .map(b => b.metadata?.name);

beforeAll(async () => {
  world = await startWorld();
  // The permission framework decides here, so the policy may allow more owners (clearml.tenant.owner.any).
  (world.config as any).permission = { enabled: true };
  ({ backend, baseUrl } = await startTenantBackend(world, [
    permissionsFactory,
  ]));
});

afterAll(async () => {
  await backend?.stop();
  await world?.close();
});

describe('only the platform group applies SCC grants', () => {
  it('a member of the platform group runs the template with grants', async () => {
    const { status, log } = await runTemplate(ALICE, 'kappa');
    expect([status, log]).toEqual(['completed', expect.any(String)]);
    expect(bindings('clearml-kappa')).toEqual(['system:openshift:scc:anyuid']);
  });

  it('anyone else runs the template without the grant step: the pull request, no binding, nothing half done', async () => {
    const { status, log } = await runTemplate(BOB, 'lambda');
    expect(status).toBe('completed');
    expect(log).toContain('Beginning step Open the GitOps pull request');
    expect(log).not.toContain('Beginning step Apply SCC grants');
    expect(log).not.toContain('Unauthorized action');
    expect(
      world.github.branchHead(GITOPS.owner, GITOPS.repo, 'clearml/lambda'),
    ).toBeDefined();
    expect(bindings('clearml-lambda')).toEqual([]);
    expect(
      world.kubernetes.get('v1', 'Namespace', 'clearml-lambda'),
    ).toBeUndefined();
  });

  it('the refusal holds in a dry run as well (403)', async () => {
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'grant-only' },
      spec: {
        owner: 'user:default/mallory',
        type: 'service',
        parameters: [],
        steps: [
          {
            id: 'grant',
            action: 'clearml:scc:grant',
            input: { cluster: CLUSTER, tenant: 'mu', createNamespace: true },
          },
        ],
      },
    };
    const writes = world.kubernetes.writeRequests().length;
    const { status, body } = await api(MALLORY, '/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: JSON.stringify({ template, values: {}, directoryContents: [] }),
    });
    expect([status, body.error?.name]).toEqual([403, 'NotAllowedError']);
    expect(world.kubernetes.writeRequests().slice(writes)).toEqual([]);
  });
});

describe('clearml.tenant.health.read', () => {
  it('answers 403 to a user the policy denies, and reads nothing from the cluster', async () => {
    await eventually('resource:default/kappa in the catalog', async () => {
      const { status } = await api(
        ALICE,
        '/api/catalog/entities/by-name/resource/default/kappa',
      );
      return status === 200 ? true : undefined;
    });
    const entityRef = encodeURIComponent('resource:default/kappa');
    world.kubernetes.clearRequests();
    const denied = await api(
      MALLORY,
      `/api/clearml/v1/health?entityRef=${entityRef}`,
    );
    expect([denied.status, denied.body.error?.name]).toEqual([
      403,
      'NotAllowedError',
    ]);
    expect(denied.body.error.message).toBe(
      'Not allowed to read the ClearML health of resource:default/kappa',
    );
    expect(world.kubernetes.requests).toEqual([]);

    expect(
      (await api(BOB, `/api/clearml/v1/health?entityRef=${entityRef}`)).status,
    ).toBe(200);
    expect(
      (await api(ALICE, `/api/clearml/v1/health?entityRef=${entityRef}`))
        .status,
    ).toBe(200);
  });
});
