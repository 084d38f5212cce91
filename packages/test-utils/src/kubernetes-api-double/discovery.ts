/** Discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`), as `KubernetesObjectApi` reads them. */
import { apiGroups, ResourceType, RESOURCE_TYPES } from './resources';

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const WITH_STATUS = new Set([
  'namespaces',
  'pods',
  'deployments',
  'statefulsets',
  'replicasets',
  'routes',
]);

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(group: string) {
  const versions = [
    ...new Set(
      RESOURCE_TYPES.filter(t => t.group === group).map(t => t.version),
    ),
  ];
  const entries = versions.map(version => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: apiGroups().map(groupVersions),
  };
}

export function apiGroup(group: string) {
  if (!apiGroups().includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupVersions(group) };
}

function resourceEntries(t: ResourceType) {
  const main = {
    name: t.resource,
    singularName: t.singularName,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: ALL_VERBS,
    ...(t.shortNames ? { shortNames: t.shortNames } : {}),
  };
  if (!WITH_STATUS.has(t.resource)) return [main];
  return [
    main,
    {
      name: `${t.resource}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get', 'patch', 'update'],
    },
  ];
}

export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    t => t.group === group && t.version === version,
  );
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}

/** `GET /version` of a cluster at `version` (`major.minor.patch`, default 1.31.0), as the API server words it. */
export function versionInfo(version = '1.31.0') {
  const [major, minor] = version.split('.');
  return {
    major,
    minor,
    gitVersion: `v${version}`,
    gitCommit: 'kubernetes-api-double',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T00:00:00Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export const VERSION_INFO = versionInfo();
