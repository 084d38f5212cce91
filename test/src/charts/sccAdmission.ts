/**
 * OpenShift's SCC admission for the pod fields the ClearML charts use: which
 * SecurityContextConstraints admit a pod template as written (user and group
 * IDs against the namespace's ranges, privileged containers, privilege
 * escalation, added capabilities, volume types, host namespaces and ports,
 * seccomp). Tested against the default SCC objects; used to prove no pod of a
 * rendered tenant is left without an SCC that admits it.
 */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';
import { referencePath } from '@internal/clearml-test-utils';

export interface Scc {
  metadata: { name: string };
  allowHostDirVolumePlugin: boolean;
  allowHostIPC: boolean;
  allowHostNetwork: boolean;
  allowHostPID: boolean;
  allowHostPorts: boolean;
  allowPrivilegeEscalation?: boolean | null;
  allowPrivilegedContainer: boolean;
  allowedCapabilities?: string[] | null;
  runAsUser: {
    type: 'MustRunAs' | 'MustRunAsRange' | 'MustRunAsNonRoot' | 'RunAsAny';
    uid?: number;
  };
  fsGroup: { type: 'MustRunAs' | 'RunAsAny' };
  supplementalGroups: { type: 'MustRunAs' | 'RunAsAny' };
  seccompProfiles?: string[] | null;
  volumes: string[];
}

/** The default SCCs of OpenShift, by name (packages/test-utils/reference/openshift-api/default-sccs). */
export function defaultSccs(): Map<string, Scc> {
  const dir = referencePath('openshift-api', 'default-sccs');
  const sccs = new Map<string, Scc>();
  for (const file of fs
    .readdirSync(dir)
    .filter(f => /_scc-.*\.yaml$/.test(f))) {
    for (const doc of yaml.loadAll(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    ) as any[]) {
      if (doc?.kind === 'SecurityContextConstraints')
        sccs.set(doc.metadata.name, doc);
    }
  }
  return sccs;
}

/** The UID (and GID) range OpenShift allocates to a namespace (`openshift.io/sa.scc.uid-range`). */
export interface NamespaceRange {
  min: number;
  size: number;
}

export const EXAMPLE_NAMESPACE_RANGE: NamespaceRange = {
  min: 1000680000,
  size: 10000,
};

const inRange = (id: number, range: NamespaceRange) =>
  id >= range.min && id < range.min + range.size;

/** The volume type names SCCs list, for the volume sources the charts use. */
const VOLUME_TYPES: Record<string, string> = {
  configMap: 'configMap',
  secret: 'secret',
  emptyDir: 'emptyDir',
  persistentVolumeClaim: 'persistentVolumeClaim',
  projected: 'projected',
  downwardAPI: 'downwardAPI',
  hostPath: 'hostPath',
  csi: 'csi',
  ephemeral: 'ephemeral',
  nfs: 'nfs',
};

/**
 * Why `scc` refuses the pod spec, worded as OpenShift's SCC admission words its
 * violations (`.containers[0].runAsUser: Invalid value: 1001: must be in the
 * ranges: [...]`), or an empty list when it admits it.
 */
export function sccRefusals(
  scc: Scc,
  pod: any,
  range: NamespaceRange = EXAMPLE_NAMESPACE_RANGE,
): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  const ranges = `[${range.min}, ${range.min + range.size - 1}]`;

  if (pod.hostNetwork && !scc.allowHostNetwork)
    problems.push(
      'spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used',
    );
  if (pod.hostPID && !scc.allowHostPID)
    problems.push(
      'spec.securityContext.hostPID: Invalid value: true: Host PID is not allowed to be used',
    );
  if (pod.hostIPC && !scc.allowHostIPC)
    problems.push(
      'spec.securityContext.hostIPC: Invalid value: true: Host IPC is not allowed to be used',
    );

  (pod.volumes ?? []).forEach((volume: any, i: number) => {
    const source = Object.keys(volume).find(k => k !== 'name')!;
    const type = VOLUME_TYPES[source] ?? source;
    if (!scc.volumes.includes('*') && !scc.volumes.includes(type)) {
      problems.push(
        `spec.volumes[${i}]: Invalid value: "${type}": ${type} volumes are not allowed to be used`,
      );
    } else if (type === 'hostPath' && !scc.allowHostDirVolumePlugin) {
      problems.push(
        `spec.volumes[${i}].hostPath: Invalid value: "${volume.hostPath.path}": host directories are not allowed`,
      );
    }
  });

  const fsGroup = podContext.fsGroup;
  if (
    fsGroup !== undefined &&
    fsGroup !== null &&
    scc.fsGroup.type === 'MustRunAs' &&
    !inRange(fsGroup, range)
  ) {
    problems.push(
      `.spec.securityContext.fsGroup: Invalid value: []int64{${fsGroup}}: ${fsGroup} is not an allowed group`,
    );
  }
  for (const gid of podContext.supplementalGroups ?? []) {
    if (scc.supplementalGroups.type === 'MustRunAs' && !inRange(gid, range)) {
      problems.push(
        `.spec.securityContext.supplementalGroups: Invalid value: []int64{${gid}}: ${gid} is not an allowed group`,
      );
    }
  }
  const seccomp = (context: any) => context?.seccompProfile?.type;
  const seccompAllowed = (type: string | undefined) => {
    if (
      !type ||
      !scc.seccompProfiles?.length ||
      scc.seccompProfiles.includes('*')
    )
      return true;
    const names: Record<string, string> = {
      RuntimeDefault: 'runtime/default',
      Unconfined: 'unconfined',
    };
    return scc.seccompProfiles.includes(names[type] ?? type);
  };
  if (!seccompAllowed(seccomp(podContext))) {
    problems.push(
      `pod.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: Forbidden: ${seccomp(podContext)} is not an allowed seccomp profile`,
    );
  }

  const containers = [
    ...(pod.initContainers ?? []).map((c: any, i: number) => ({
      c,
      path: `.initContainers[${i}]`,
    })),
    ...(pod.containers ?? []).map((c: any, i: number) => ({
      c,
      path: `.containers[${i}]`,
    })),
  ];
  for (const { c: container, path: where } of containers) {
    const context = container.securityContext ?? {};
    const uid = context.runAsUser ?? podContext.runAsUser;
    if (uid !== undefined && uid !== null) {
      if (scc.runAsUser.type === 'MustRunAsRange' && !inRange(uid, range))
        problems.push(
          `${where}.runAsUser: Invalid value: ${uid}: must be in the ranges: ${ranges}`,
        );
      if (scc.runAsUser.type === 'MustRunAsNonRoot' && uid === 0)
        problems.push(
          `${where}.runAsUser: Invalid value: 0: running with the root UID is forbidden`,
        );
      if (scc.runAsUser.type === 'MustRunAs' && uid !== scc.runAsUser.uid)
        problems.push(
          `${where}.runAsUser: Invalid value: ${uid}: must be: ${scc.runAsUser.uid}`,
        );
    }
    const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot === false && scc.runAsUser.type === 'MustRunAsNonRoot')
      problems.push(
        `${where}.runAsNonRoot: Invalid value: false: must be true`,
      );
    if (context.privileged && !scc.allowPrivilegedContainer)
      problems.push(
        `${where}.privileged: Invalid value: true: Privileged containers are not allowed`,
      );
    if (
      context.allowPrivilegeEscalation === true &&
      scc.allowPrivilegeEscalation === false
    ) {
      problems.push(
        `${where}.allowPrivilegeEscalation: Invalid value: true: Allowing privilege escalation for containers is not allowed`,
      );
    }
    for (const capability of context.capabilities?.add ?? []) {
      const allowed = scc.allowedCapabilities ?? [];
      if (!allowed.includes('*') && !allowed.includes(capability))
        problems.push(
          `${where}.capabilities.add: Invalid value: "${capability}": capability may not be added`,
        );
    }
    if (!seccompAllowed(seccomp(context)))
      problems.push(
        `${where}.seccompProfile: Forbidden: ${seccomp(context)} is not an allowed seccomp profile`,
      );
    for (const port of container.ports ?? []) {
      if (port.hostPort && !scc.allowHostPorts)
        problems.push(
          `${where}.containers[].ports.hostPort: Invalid value: ${port.hostPort}: Host ports are not allowed to be used`,
        );
    }
  }
  return problems;
}

/**
 * The message a ReplicaSet or StatefulSet controller records (`FailedCreate`)
 * when no SCC admits a pod: each SCC the account may use with its violations,
 * every other one "not usable".
 */
export function sccRefusalMessage(options: {
  workload: { kind: 'Deployment' | 'StatefulSet'; name: string };
  /** The Deployment's ReplicaSet name. */
  replicaSet?: string;
  refusals: Record<string, string[]>;
  sccs: Map<string, Scc>;
}): string {
  const verdicts = [...options.sccs.keys()]
    .sort()
    .map(name =>
      options.refusals[name]
        ? `provider ${name === 'restricted-v2' ? name : `"${name}"`}: ${options.refusals[name].join(', ')}`
        : `provider "${name}": Forbidden: not usable by user or serviceaccount`,
    );
  const reason = `unable to validate against any security context constraint: [${verdicts.join(', ')}]`;
  if (options.workload.kind === 'Deployment')
    return `Error creating: pods "${options.replicaSet}-" is forbidden: ${reason}`;
  const pod = `${options.workload.name}-0`;
  return `create Pod ${pod} in StatefulSet ${options.workload.name} failed error: pods "${pod}" is forbidden: ${reason}`;
}

/** The SCCs a ServiceAccount may use: restricted-v2 (every authenticated user) and those granted to it. */
export function availableSccs(
  sccs: Map<string, Scc>,
  granted: readonly string[],
): Scc[] {
  return ['restricted-v2', ...granted].map(name => {
    const scc = sccs.get(name);
    if (!scc) throw new Error(`no SCC ${name}`);
    return scc;
  });
}

/** The name of the first SCC that admits the pod, or undefined with every SCC's reasons. */
export function admittingScc(
  available: readonly Scc[],
  pod: any,
  range?: NamespaceRange,
): { scc?: string; refusals: Record<string, string[]> } {
  const refusals: Record<string, string[]> = {};
  for (const scc of available) {
    const problems = sccRefusals(scc, pod, range);
    if (!problems.length) return { scc: scc.metadata.name, refusals };
    refusals[scc.metadata.name] = problems;
  }
  return { refusals };
}
