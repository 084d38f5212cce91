/**
 * Claims that do not bind, from the events the PersistentVolume controller
 * and the external provisioners write on the claim, and the scheduler's
 * message on the pod that waits for it.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { HealthProblem } from '@clearml-openshift/plugin-clearml-common';
import { eventTime } from './ownership';

const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The PersistentVolumeClaims a pod mounts. */
export function podClaims(pod: V1Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap(v =>
    v.persistentVolumeClaim?.claimName
      ? [v.persistentVolumeClaim.claimName]
      : [],
  );
}

/** `oc get pvc` and what makes a class the default, for a claim that names none. */
export function noStorageClassHint(namespace: string, claim: string): string {
  return (
    `The claim names no StorageClass and the cluster has no default one. Re-render the tenant with a StorageClass ` +
    `(the form's StorageClass field; every claim then names it), or have an admin mark one as the default ` +
    `(oc patch storageclass <class> -p '{"metadata":{"annotations":{"${DEFAULT_CLASS_ANNOTATION}":"true"}}}'). ` +
    `A claim's class cannot change: delete the Pending claim (oc delete pvc ${claim} -n ${namespace}) so Argo CD or the StatefulSet recreates it.`
  );
}

function claimProblem(
  event: CoreV1Event,
  namespace: string,
): HealthProblem | undefined {
  const claim = event.involvedObject.name ?? '';
  const message = event.message ?? '';
  if (
    event.reason === 'FailedBinding' &&
    /no storage class is set/.test(message)
  ) {
    return {
      severity: 'error',
      reason: 'ClaimPending',
      message: `PersistentVolumeClaim ${claim} is Pending: ${message}`,
      hint: noStorageClassHint(namespace, claim),
    };
  }
  if (event.reason === 'ProvisioningFailed') {
    const missing = /storageclass\.storage\.k8s\.io "([^"]+)" not found/.exec(
      message,
    );
    return {
      severity: 'error',
      reason: 'ClaimPending',
      message: `PersistentVolumeClaim ${claim} is Pending: ${message}`,
      hint: missing
        ? `StorageClass ${missing[1]} does not exist on this cluster (oc get storageclass). Re-render the tenant with one it has ` +
          `(the form lists them), then delete the Pending claim (oc delete pvc ${claim} -n ${namespace}) so it is recreated with that class.`
        : `The StorageClass's provisioner failed: see oc describe pvc ${claim} -n ${namespace} and the provisioner's logs.`,
    };
  }
  return undefined;
}

/** One problem per claim of these pods, from its newest binding or provisioning failure. */
export function claimProblems(
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
  namespace: string,
): HealthProblem[] {
  const claims = new Set(pods.flatMap(podClaims));
  const newest = new Map<string, CoreV1Event>();
  for (const event of events) {
    const name = event.involvedObject?.name;
    if (
      event.involvedObject?.kind !== 'PersistentVolumeClaim' ||
      !name ||
      !claims.has(name)
    )
      continue;
    if (!claimProblem(event, namespace)) continue;
    const seen = newest.get(name);
    if (!seen || eventTime(event) > eventTime(seen)) newest.set(name, event);
  }
  return [...newest.values()].map(e => claimProblem(e, namespace)!);
}
