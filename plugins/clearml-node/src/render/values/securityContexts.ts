/**
 * Security contexts from ClearML's OpenShift guide ("Security Context
 * Configuration"). They let `restricted-v2` admit a pod with the namespace's
 * random UID: no pinned user or fsGroup, non-root, no escalation, no
 * capabilities, the runtime's seccomp profile.
 */
import { Values } from './files';

/** A container context `restricted-v2` admits, as ClearML's OpenShift guide spells it. */
export function restrictedContainerContext(): Values {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The same context with the pinned UID nulled. `null` (not absence) is what
 * makes Helm drop a subchart default such as Bitnami's `runAsUser: 1001`.
 */
export function unpinnedContainerContext(
  order: 'uidFirst' | 'uidLast',
): Values {
  return order === 'uidFirst'
    ? { runAsUser: null, ...restrictedContainerContext() }
    : { ...restrictedContainerContext(), runAsUser: null };
}
