import { admittingScc, availableSccs, defaultSccs, sccRefusals } from './sccAdmission';

const sccs = defaultSccs();
const scc = (name: string) => sccs.get(name)!;
const pod = (container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image: 'x', ...container }],
  ...spec,
});

describe('SCC admission check, against the default SCC objects', () => {
  it('reads the default SCCs', () => {
    expect([...sccs.keys()]).toEqual(expect.arrayContaining(['restricted-v2', 'nonroot-v2', 'anyuid', 'privileged', 'hostmount-anyuid']));
  });

  it('admits a pod without IDs under restricted-v2', () => {
    expect(sccRefusals(scc('restricted-v2'), pod())).toEqual([]);
  });

  it('refuses pinned IDs outside the namespace range under restricted-v2; nonroot-v2 admits non-root ones, anyuid any', () => {
    const bitnami = pod({ securityContext: { runAsUser: 1001 } }, { securityContext: { fsGroup: 1001 } });
    expect(sccRefusals(scc('restricted-v2'), bitnami)).toEqual([
      'fsGroup 1001 outside the namespace range',
      'container app: runAsUser 1001 outside the namespace range',
    ]);
    expect(sccRefusals(scc('nonroot-v2'), bitnami)).toEqual([]);
    const root = pod({ securityContext: { runAsUser: 0 } });
    expect(sccRefusals(scc('nonroot-v2'), root)).toEqual(['container app: runAsUser 0 (root)']);
    expect(sccRefusals(scc('anyuid'), root)).toEqual([]);
    expect(sccRefusals(scc('restricted-v2'), pod({ securityContext: { runAsUser: 1000680005 } }))).toEqual([]);
  });

  it('refuses privileged containers, privilege escalation and added capabilities except where the SCC allows them', () => {
    const privileged = pod({ securityContext: { privileged: true, runAsUser: 0 } });
    for (const name of ['restricted-v2', 'nonroot-v2', 'anyuid']) expect(sccRefusals(scc(name), privileged)).toContain('container app: privileged');
    expect(sccRefusals(scc('privileged'), privileged)).toEqual([]);
    const escalating = pod({ securityContext: { allowPrivilegeEscalation: true } });
    expect(sccRefusals(scc('restricted-v2'), escalating)).toEqual(['container app: allowPrivilegeEscalation']);
    expect(sccRefusals(scc('anyuid'), escalating)).toEqual([]);
    expect(sccRefusals(scc('restricted-v2'), pod({ securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }))).toEqual([
      'container app: capability SYS_ADMIN',
    ]);
    expect(sccRefusals(scc('restricted-v2'), pod({ securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }))).toEqual([]);
  });

  it('refuses host paths, host network and unconfined seccomp under restricted-v2', () => {
    const host = pod({}, { hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/' } }] });
    expect(sccRefusals(scc('restricted-v2'), host)).toEqual([
      'hostNetwork',
      'volume h: hostPath not allowed',
      'volume h: host directories not allowed',
    ]);
    expect(sccRefusals(scc('privileged'), host)).toEqual([]);
    expect(sccRefusals(scc('restricted-v2'), pod({}, { securityContext: { seccompProfile: { type: 'Unconfined' } } }))).toEqual([
      'seccomp Unconfined',
    ]);
  });

  it('picks the first SCC of the account that admits the pod, and says why each other refused', () => {
    const root = pod({ securityContext: { runAsUser: 0 } });
    expect(admittingScc(availableSccs(sccs, []), root)).toEqual({
      refusals: { 'restricted-v2': ['container app: runAsUser 0 outside the namespace range'] },
    });
    expect(admittingScc(availableSccs(sccs, ['anyuid']), root).scc).toBe('anyuid');
  });
});
