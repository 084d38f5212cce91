/**
 * The cluster's StorageClasses as the form lists them, and the one a tenant's
 * claims name: the requested class when the cluster has it, else the cluster's
 * default (the class Kubernetes' DefaultStorageClass admission gives a claim
 * that names none). Read with the cluster's read credential
 * (`list storageclasses`, docs/rbac).
 */
import { InputError } from '@backstage/errors';
import type { StorageClassSummary } from '@clearml-openshift/plugin-clearml-common';
import type { KubernetesClients } from '../cluster/kubernetesClients';

/**
 * Marks the default class; the beta spelling is still honoured by Kubernetes.
 *
 * @public
 */
export const DEFAULT_STORAGE_CLASS_ANNOTATION =
  'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_STORAGE_CLASS_ANNOTATION =
  'storageclass.beta.kubernetes.io/is-default-class';

/**
 * The fields of a storage.k8s.io/v1 StorageClass that the summaries read.
 *
 * @public
 */
export interface StorageClassObject {
  metadata?: {
    name?: string;
    annotations?: Record<string, string>;
    creationTimestamp?: Date | string;
  };
  provisioner?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}

function isDefault(item: StorageClassObject): boolean {
  const annotations = item.metadata?.annotations ?? {};
  return (
    annotations[DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' ||
    annotations[BETA_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true'
  );
}

function created(item: StorageClassObject): number {
  const at = item.metadata?.creationTimestamp;
  return at ? new Date(at).getTime() || 0 : 0;
}

/**
 * The classes, sorted by name. When several are marked default, only the
 * newest counts (Kubernetes 1.26+ picks the most recently created one).
 *
 * @public
 */
export function storageClassSummaries(
  items: readonly StorageClassObject[],
): StorageClassSummary[] {
  const defaults = items
    .filter(isDefault)
    .sort((a, b) => created(b) - created(a));
  const chosen = defaults[0]?.metadata?.name;
  return items
    .filter(i => i.metadata?.name)
    .map(i => ({
      name: i.metadata!.name!,
      provisioner: i.provisioner ?? '',
      default: i.metadata!.name === chosen,
      ...(i.volumeBindingMode
        ? { volumeBindingMode: i.volumeBindingMode }
        : {}),
      ...(i.allowVolumeExpansion !== undefined
        ? { allowVolumeExpansion: i.allowVolumeExpansion }
        : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `GET /apis/storage.k8s.io/v1/storageclasses`. @public */
export async function listStorageClasses(
  clients: Pick<KubernetesClients, 'storage'>,
): Promise<StorageClassSummary[]> {
  const list = await clients.storage.listStorageClass();
  return storageClassSummaries(list.items as StorageClassObject[]);
}

/**
 * The class a tenant's claims name on this cluster; an InputError naming
 * `storageClassName` when the cluster has no such class, or when none is
 * requested and the cluster has no default.
 *
 * @public
 */
export function resolveStorageClass(
  classes: readonly StorageClassSummary[],
  requested: string | undefined,
  clusterName: string,
): string {
  const known = classes.map(c => c.name).join(', ') || 'none';
  if (requested !== undefined) {
    if (!classes.some(c => c.name === requested)) {
      throw new InputError(
        `storageClassName: cluster '${clusterName}' has no StorageClass ${JSON.stringify(requested)} (it has: ${known}); the claims would stay Pending`,
      );
    }
    return requested;
  }
  const fallback = classes.find(c => c.default);
  if (!fallback) {
    throw new InputError(
      `storageClassName: cluster '${clusterName}' has no default StorageClass (annotation ${DEFAULT_STORAGE_CLASS_ANNOTATION}: "true"), so claims that name none stay Pending; choose one of: ${known}`,
    );
  }
  return fallback.name;
}
