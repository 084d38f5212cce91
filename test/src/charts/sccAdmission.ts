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
import { referencePath } from '../reference';

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
  runAsUser: { type: 'MustRunAs' | 'MustRunAsRange' | 'MustRunAsNonRoot' | 'RunAsAny'; uid?: number };
  fsGroup: { type: 'MustRunAs' | 'RunAsAny' };
  supplementalGroups: { type: 'MustRunAs' | 'RunAsAny' };
  seccompProfiles?: string[] | null;
  volumes: string[];
}

/** The default SCCs of OpenShift, by name (test/reference/openshift-api/default-sccs). */
export function defaultSccs(): Map<string, Scc> {
  const dir = referencePath('openshift-api', 'default-sccs');
  const sccs = new Map<string, Scc>();
  for (const file of fs.readdirSync(dir).filter(f => /_scc-.*\.yaml$/.test(f))) {
    for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as any[]) {
      if (doc?.kind === 'SecurityContextConstraints') sccs.set(doc.metadata.name, doc);
    }
  }
  return sccs;
}

/** The UID (and GID) range OpenShift allocates to a namespace (`openshift.io/sa.scc.uid-range`). */
export interface NamespaceRange {
  min: number;
  size: number;
}

export const EXAMPLE_NAMESPACE_RANGE: NamespaceRange = { min: 1000680000, size: 10000 };

const inRange = (id: number, range: NamespaceRange) => id >= range.min && id < range.min + range.size;

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

/** Why `scc` refuses the pod spec, or an empty list when it admits it. */
export function sccRefusals(scc: Scc, pod: any, range: NamespaceRange = EXAMPLE_NAMESPACE_RANGE): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  const containers: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];

  if (pod.hostNetwork && !scc.allowHostNetwork) problems.push('hostNetwork');
  if (pod.hostPID && !scc.allowHostPID) problems.push('hostPID');
  if (pod.hostIPC && !scc.allowHostIPC) problems.push('hostIPC');

  for (const volume of pod.volumes ?? []) {
    const source = Object.keys(volume).find(k => k !== 'name')!;
    const type = VOLUME_TYPES[source] ?? source;
    if (!scc.volumes.includes('*') && !scc.volumes.includes(type)) problems.push(`volume ${volume.name}: ${type} not allowed`);
    if (type === 'hostPath' && !scc.allowHostDirVolumePlugin) problems.push(`volume ${volume.name}: host directories not allowed`);
  }

  const fsGroup = podContext.fsGroup;
  if (fsGroup !== undefined && fsGroup !== null && scc.fsGroup.type === 'MustRunAs' && !inRange(fsGroup, range)) {
    problems.push(`fsGroup ${fsGroup} outside the namespace range`);
  }
  for (const gid of podContext.supplementalGroups ?? []) {
    if (scc.supplementalGroups.type === 'MustRunAs' && !inRange(gid, range)) problems.push(`supplemental group ${gid} outside the namespace range`);
  }
  const seccomp = (context: any) => context?.seccompProfile?.type;
  const seccompAllowed = (type: string | undefined) => {
    if (!type || !scc.seccompProfiles?.length || scc.seccompProfiles.includes('*')) return true;
    const names: Record<string, string> = { RuntimeDefault: 'runtime/default', Unconfined: 'unconfined' };
    return scc.seccompProfiles.includes(names[type] ?? type);
  };
  if (!seccompAllowed(seccomp(podContext))) problems.push(`seccomp ${seccomp(podContext)}`);

  for (const container of containers) {
    const context = container.securityContext ?? {};
    const where = `container ${container.name}`;
    const uid = context.runAsUser ?? podContext.runAsUser;
    if (uid !== undefined && uid !== null) {
      if (scc.runAsUser.type === 'MustRunAsRange' && !inRange(uid, range)) problems.push(`${where}: runAsUser ${uid} outside the namespace range`);
      if (scc.runAsUser.type === 'MustRunAsNonRoot' && uid === 0) problems.push(`${where}: runAsUser 0 (root)`);
      if (scc.runAsUser.type === 'MustRunAs' && uid !== scc.runAsUser.uid) problems.push(`${where}: runAsUser ${uid}`);
    }
    const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (nonRoot === false && scc.runAsUser.type === 'MustRunAsNonRoot') problems.push(`${where}: runAsNonRoot false`);
    if (context.privileged && !scc.allowPrivilegedContainer) problems.push(`${where}: privileged`);
    if (context.allowPrivilegeEscalation === true && scc.allowPrivilegeEscalation === false) {
      problems.push(`${where}: allowPrivilegeEscalation`);
    }
    for (const capability of context.capabilities?.add ?? []) {
      const allowed = scc.allowedCapabilities ?? [];
      if (!allowed.includes('*') && !allowed.includes(capability)) problems.push(`${where}: capability ${capability}`);
    }
    if (!seccompAllowed(seccomp(context))) problems.push(`${where}: seccomp ${seccomp(context)}`);
    for (const port of container.ports ?? []) {
      if (port.hostPort && !scc.allowHostPorts) problems.push(`${where}: hostPort ${port.hostPort}`);
    }
  }
  return problems;
}

/** The SCCs a ServiceAccount may use: restricted-v2 (every authenticated user) and those granted to it. */
export function availableSccs(sccs: Map<string, Scc>, granted: readonly string[]): Scc[] {
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
