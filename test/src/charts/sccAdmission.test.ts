import {
  admittingScc,
  availableSccs,
  defaultSccs,
  sccRefusalMessage,
  sccRefusals,
} from './sccAdmission';

const sccs = defaultSccs();
const scc = (name: string) => sccs.get(name)!;
const pod = (
  container: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
) => ({
  containers: [{ name: 'app', image: 'x', ...container }],
  ...spec,
});

describe('SCC admission check, against the default SCC objects', () => {
  it('reads the default SCCs', () => {
    expect([...sccs.keys()]).toEqual(
      expect.arrayContaining([
        'restricted-v2',
        'nonroot-v2',
        'anyuid',
        'privileged',
        'hostmount-anyuid',
      ]),
    );
  });

  it('admits a pod without IDs under restricted-v2', () => {
    expect(sccRefusals(scc('restricted-v2'), pod())).toEqual([]);
  });

  it('refuses pinned IDs outside the namespace range under restricted-v2; nonroot-v2 admits non-root ones, anyuid any', () => {
    const bitnami = pod(
      { securityContext: { runAsUser: 1001 } },
      { securityContext: { fsGroup: 1001 } },
    );
    expect(sccRefusals(scc('restricted-v2'), bitnami)).toEqual([
      '.spec.securityContext.fsGroup: Invalid value: []int64{1001}: 1001 is not an allowed group',
      '.containers[0].runAsUser: Invalid value: 1001: must be in the ranges: [1000680000, 1000689999]',
    ]);
    expect(sccRefusals(scc('nonroot-v2'), bitnami)).toEqual([]);
    const root = pod({ securityContext: { runAsUser: 0 } });
    expect(sccRefusals(scc('nonroot-v2'), root)).toEqual([
      '.containers[0].runAsUser: Invalid value: 0: running with the root UID is forbidden',
    ]);
    expect(sccRefusals(scc('anyuid'), root)).toEqual([]);
    expect(
      sccRefusals(
        scc('restricted-v2'),
        pod({ securityContext: { runAsUser: 1000680005 } }),
      ),
    ).toEqual([]);
  });

  it('refuses privileged containers, privilege escalation and added capabilities except where the SCC allows them', () => {
    const privileged = pod({
      securityContext: { privileged: true, runAsUser: 0 },
    });
    for (const name of ['restricted-v2', 'nonroot-v2', 'anyuid'])
      expect(sccRefusals(scc(name), privileged)).toContain(
        '.containers[0].privileged: Invalid value: true: Privileged containers are not allowed',
      );
    expect(sccRefusals(scc('privileged'), privileged)).toEqual([]);
    const escalating = pod({
      securityContext: { allowPrivilegeEscalation: true },
    });
    expect(sccRefusals(scc('restricted-v2'), escalating)).toEqual([
      '.containers[0].allowPrivilegeEscalation: Invalid value: true: Allowing privilege escalation for containers is not allowed',
    ]);
    expect(sccRefusals(scc('anyuid'), escalating)).toEqual([]);
    expect(
      sccRefusals(
        scc('restricted-v2'),
        pod({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }),
      ),
    ).toEqual([
      '.containers[0].capabilities.add: Invalid value: "SYS_ADMIN": capability may not be added',
    ]);
    expect(
      sccRefusals(
        scc('restricted-v2'),
        pod({
          securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses host paths, host network and unconfined seccomp under restricted-v2', () => {
    const host = pod(
      {},
      { hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    );
    expect(sccRefusals(scc('restricted-v2'), host)).toEqual([
      'spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used',
      'spec.volumes[0]: Invalid value: "hostPath": hostPath volumes are not allowed to be used',
    ]);
    expect(sccRefusals(scc('privileged'), host)).toEqual([]);
    expect(
      sccRefusals(
        scc('restricted-v2'),
        pod(
          {},
          { securityContext: { seccompProfile: { type: 'Unconfined' } } },
        ),
      ),
    ).toEqual([
      'pod.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: Forbidden: Unconfined is not an allowed seccomp profile',
    ]);
  });

  it('picks the first SCC of the account that admits the pod, and says why each other refused', () => {
    const root = pod({ securityContext: { runAsUser: 0 } });
    expect(admittingScc(availableSccs(sccs, []), root)).toEqual({
      refusals: {
        'restricted-v2': [
          '.containers[0].runAsUser: Invalid value: 0: must be in the ranges: [1000680000, 1000689999]',
        ],
      },
    });
    expect(admittingScc(availableSccs(sccs, ['anyuid']), root).scc).toBe(
      'anyuid',
    );
  });

  it("words a controller's FailedCreate message as OpenShift does", () => {
    const root = pod({ securityContext: { runAsUser: 1001 } });
    const { refusals } = admittingScc(availableSccs(sccs, []), root);
    const message = sccRefusalMessage({
      workload: { kind: 'StatefulSet', name: 'clearml-redis-master' },
      refusals,
      sccs,
    });
    expect(message).toMatch(
      /^create Pod clearml-redis-master-0 in StatefulSet clearml-redis-master failed error: pods "clearml-redis-master-0" is forbidden: unable to validate against any security context constraint: \[/,
    );
    expect(message).toContain(
      'provider restricted-v2: .containers[0].runAsUser: Invalid value: 1001: must be in the ranges: [1000680000, 1000689999]',
    );
    expect(message).toContain(
      'provider "anyuid": Forbidden: not usable by user or serviceaccount',
    );
  });
});
