/**
 * What a size tier change does to the tenant's claims on a real cluster. Kubernetes never shrinks a
 * PersistentVolumeClaim, grows one only when its StorageClass allows volume expansion, and refuses any change to a
 * StatefulSet's `volumeClaimTemplates`: the claims of Elasticsearch (Elastic's chart) and Redis (Bitnami's, master
 * kind StatefulSet) sit in StatefulSets; MongoDB (Bitnami standalone: a Deployment) and the fileserver have claims of
 * their own (clearml 7.14.4: `templates/fileserver-pvc.yaml`, `charts/mongodb/templates/standalone/pvc.yaml`).
 */
import {
  parseQuantity,
  SIZED_CLAIMS,
  SizedClaim,
  SizeTier,
} from '@clearml-openshift/plugin-clearml-common';
import { code, fencedBlock, shellQuote } from './markdown';

/**
 * One claim whose size the tier change moves.
 *
 * @public
 */
export interface ClaimResize {
  claim: SizedClaim;
  before: string;
  after: string;
  /** False: the claim would shrink, which Kubernetes refuses. */
  grows: boolean;
  /** The claim comes from a StatefulSet's volumeClaimTemplates, which cannot change in place. */
  statefulSet: boolean;
}

const STATEFUL_SET_CLAIMS: readonly SizedClaim[] = ['elasticsearch', 'redis'];

/**
 * The claims a change from tier `before` to tier `after` resizes.
 *
 * @public
 */
export function claimResizes(before: SizeTier, after: SizeTier): ClaimResize[] {
  return SIZED_CLAIMS.flatMap(claim => {
    const old = before.storage[claim];
    const next = after.storage[claim];
    const oldBytes = parseQuantity(old) ?? 0;
    const newBytes = parseQuantity(next) ?? 0;
    if (oldBytes === newBytes) return [];
    return [
      {
        claim,
        before: old,
        after: next,
        grows: newBytes > oldBytes,
        statefulSet: STATEFUL_SET_CLAIMS.includes(claim),
      },
    ];
  });
}

/**
 * The description's storage section: what the merge resizes and what a cluster admin does for the claims Argo CD
 * cannot resize. Empty when no claim changes.
 *
 * @public
 */
export function renderClaimResizes(
  resizes: ClaimResize[],
  namespace: string,
): string {
  if (!resizes.length) return '';
  const inPlace = resizes.filter(r => !r.statefulSet);
  const templates = resizes.filter(r => r.statefulSet);
  const line = (r: ClaimResize) =>
    `- ${code(r.claim)}: ${code(r.before)} → ${code(r.after)}`;
  return [
    '### Storage',
    '',
    'The size tier resizes claims. Kubernetes grows a claim only when its StorageClass has ' +
      `${code('allowVolumeExpansion: true')}, and never shrinks one.`,
    ...(inPlace.length
      ? [
          '',
          'Resized in place by the sync (the claim is its own object):',
          '',
          ...inPlace.map(line),
        ]
      : []),
    ...(templates.length
      ? [
          '',
          "In a StatefulSet's `volumeClaimTemplates`, which Kubernetes does not let change: the sync of these " +
            'StatefulSets fails (`spec: Forbidden`) until a cluster admin grows their claims by hand and deletes the ' +
            'StatefulSet without its pods; Argo CD then creates it again with the new size:',
          '',
          ...templates.map(line),
          '',
          fencedBlock('sh', [
            `oc get pvc,statefulset -n ${shellQuote(namespace)}`,
            `oc patch pvc <claim> -n ${shellQuote(namespace)} --type merge -p '{"spec":{"resources":{"requests":{"storage":"<size>"}}}}'`,
            `oc delete statefulset <statefulset> -n ${shellQuote(namespace)} --cascade=orphan`,
          ]),
        ]
      : []),
  ].join('\n');
}
