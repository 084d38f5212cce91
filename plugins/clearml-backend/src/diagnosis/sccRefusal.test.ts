import { parseSccRefusal, summariseRefusal } from './sccRefusal';

describe('parseSccRefusal', () => {
  it('reads the provider verdicts of a current cluster', () => {
    const refusal = parseSccRefusal(
      'Error creating: pods "clearml-mongodb-5d8f7c9b6-" is forbidden: unable to validate against any security context constraint: ' +
        '[provider "anyuid": Forbidden: not usable by user or serviceaccount, provider restricted-v2: .spec.securityContext.fsGroup: ' +
        'Invalid value: []int64{1001}: 1001 is not an allowed group, .containers[0].runAsUser: Invalid value: 1001: must be in the ranges: ' +
        '[1000680000, 1000689999], provider "privileged": Forbidden: not usable by user or serviceaccount]',
    )!;
    expect(refusal.podName).toBe('clearml-mongodb-5d8f7c9b6-');
    expect(refusal.providers).toEqual([
      { scc: 'anyuid', notUsable: true, violations: [] },
      {
        scc: 'restricted-v2',
        notUsable: false,
        violations: [
          '.spec.securityContext.fsGroup: Invalid value: []int64{1001}: 1001 is not an allowed group',
          '.containers[0].runAsUser: Invalid value: 1001: must be in the ranges: [1000680000, 1000689999]',
        ],
      },
      { scc: 'privileged', notUsable: true, violations: [] },
    ]);
    expect(refusal.refusedUids).toEqual([1001]);
    expect(refusal.privilegedContainers).toEqual([]);
  });

  it('reads the older form, where the default SCC errors come before any provider, and names privileged containers', () => {
    const refusal = parseSccRefusal(
      'create Pod clearml-elastic-master-0 in StatefulSet clearml-elastic-master failed error: pods "clearml-elastic-master-0" is forbidden: ' +
        'unable to validate against any security context constraint: [spec.initContainers[0].securityContext.runAsUser: Invalid value: 0: ' +
        'must be in the ranges: [1000620000, 1000629999], spec.initContainers[0].securityContext.privileged: Invalid value: true: ' +
        'Privileged containers are not allowed provider "anyuid": Forbidden: not usable by user or serviceaccount]',
      {
        initContainers: [{ name: 'configure-sysctl' }],
        containers: [{ name: 'elasticsearch' }],
      },
    )!;
    expect(refusal.podName).toBe('clearml-elastic-master-0');
    expect(refusal.privilegedContainers).toEqual(['configure-sysctl']);
    expect(refusal.refusedUids).toEqual([0]);
    expect(refusal.providers.map(p => p.scc)).toEqual(['restricted', 'anyuid']);
    expect(summariseRefusal(refusal)).toContain(
      'restricted: spec.initContainers[0].securityContext.runAsUser: Invalid value: 0',
    );
  });

  it('ignores messages that are not SCC refusals', () => {
    expect(
      parseSccRefusal(
        'Error creating: pods "x" is forbidden: exceeded quota: compute-resources',
      ),
    ).toBeUndefined();
  });
});
