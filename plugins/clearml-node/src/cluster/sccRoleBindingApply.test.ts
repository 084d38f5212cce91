import {
  KubernetesApiDouble,
  KUBERNETES_ALL_RULES,
} from '@internal/clearml-test-utils';
import { createKubernetesClients } from './kubernetesClients';
import {
  applySccRoleBinding,
  ForeignSccRoleBindingError,
  readSccRoleBinding,
  SccRoleBindingCallError,
} from './sccRoleBindingApply';

const TOKEN = 'grant-token-5c4d3e';
const ROLE = 'system:openshift:scc:anyuid';
const NAMESPACE = 'clearml-acme';

function binding(serviceAccounts: string[], roleName = ROLE) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: ROLE, namespace: NAMESPACE },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: roleName,
    },
    subjects: serviceAccounts.map(name => ({
      kind: 'ServiceAccount',
      name,
      namespace: NAMESPACE,
    })),
  };
}

const CONFLICT = {
  method: 'PATCH',
  code: 409,
  reason: 'Conflict',
  message: `Operation cannot be fulfilled on rolebindings.rbac.authorization.k8s.io "${ROLE}": the object has been modified`,
};

describe('applySccRoleBinding', () => {
  let double: KubernetesApiDouble;
  beforeEach(async () => {
    double = await KubernetesApiDouble.start({
      tokens: [{ name: 'granter', token: TOKEN, rules: KUBERNETES_ALL_RULES }],
      objects: `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NAMESPACE} }\n`,
    });
    double.clearRequests();
  });
  afterEach(() => double.close());

  const rbac = () =>
    createKubernetesClients(
      {
        name: 'ocp-test',
        url: double.url,
        serviceAccountToken: TOKEN,
        grantToken: TOKEN,
        skipTLSVerify: true,
        source: 'clearml.clusters',
      },
      'grant',
    ).rbac;

  async function apply(serviceAccounts: string[], dryRun?: 'All') {
    const client = rbac();
    return applySccRoleBinding({
      rbac: client,
      scc: 'anyuid',
      namespace: NAMESPACE,
      serviceAccounts,
      binding: await readSccRoleBinding(client, 'anyuid', NAMESPACE),
      dryRun,
    });
  }

  const subjects = async () =>
    (await readSccRoleBinding(rbac(), 'anyuid', NAMESPACE))?.subjects?.map(
      s => s.name,
    );

  it('creates the binding oc would, then appends only what is missing', async () => {
    expect(await apply(['clearml-apiserver'])).toEqual({
      added: ['clearml-apiserver'],
      checkedByServer: true,
    });
    expect(await apply(['clearml-apiserver', 'clearml-fileserver'])).toEqual({
      added: ['clearml-fileserver'],
      checkedByServer: true,
    });
    expect(await apply(['clearml-fileserver'])).toEqual({
      added: [],
      checkedByServer: true,
    });
    expect(await subjects()).toEqual([
      'clearml-apiserver',
      'clearml-fileserver',
    ]);
    expect(double.writeRequests().map(r => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['PATCH', 200],
    ]);
  });

  it('writes nothing in a dry run', async () => {
    expect((await apply(['clearml-apiserver'], 'All')).added).toEqual([
      'clearml-apiserver',
    ]);
    expect(await subjects()).toBeUndefined();
  });

  it('reads again and retries when the binding changed meanwhile (409)', async () => {
    double.load([binding(['legacy-job'])] as any);
    double.failNext(CONFLICT);
    expect((await apply(['clearml-apiserver'])).added).toEqual([
      'clearml-apiserver',
    ]);
    expect(await subjects()).toEqual(['legacy-job', 'clearml-apiserver']);
  });

  it('gives up after three conflicts, naming the call that failed', async () => {
    double.load([binding(['legacy-job'])] as any);
    for (let i = 0; i < 3; i++) double.failNext(CONFLICT);
    const failure = await apply(['clearml-apiserver']).catch(e => e);
    expect(failure).toBeInstanceOf(SccRoleBindingCallError);
    expect(failure.call).toBe('patch');
    expect(failure.error.code).toBe(409);
  });

  it('leaves alone a binding that now binds another role', async () => {
    double.load([binding(['legacy-job'])] as any);
    const client = rbac();
    const read = await readSccRoleBinding(client, 'anyuid', NAMESPACE);
    double.load([binding(['legacy-job'], 'admin')] as any);
    await expect(
      applySccRoleBinding({
        rbac: client,
        scc: 'anyuid',
        namespace: NAMESPACE,
        serviceAccounts: ['clearml-apiserver'],
        binding: read,
      }),
    ).rejects.toThrow(ForeignSccRoleBindingError);
    expect(await subjects()).toEqual(['legacy-job']);
  });
});
