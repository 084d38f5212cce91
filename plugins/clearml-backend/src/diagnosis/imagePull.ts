/**
 * Why an image cannot be pulled, read from the kubelet's words: the waiting
 * message of `ErrImagePull`, and for `ImagePullBackOff` (whose message is only
 * "Back-off pulling image …") the pod's `Failed` events ("Failed to pull
 * image …: <the runtime's error>"). CRI-O (OpenShift) and containerd word the
 * same registry answers differently; both are matched.
 */
import {
  deadImage,
  normalizeImageReference,
} from '@clearml-openshift/plugin-clearml-common';

export type ImagePullCause = 'gone' | 'rateLimited' | 'unauthorized';

/** The registry's answer, from the most specific to the least. */
export function imagePullCause(message: string): ImagePullCause | undefined {
  if (/toomanyrequests|pull rate limit|429 Too Many Requests/i.test(message))
    return 'rateLimited';
  // Docker Hub answers a repository that does not exist (or is private) with "denied ... authentication required".
  if (
    /unauthorized|authentication required|401 Unauthorized|403 Forbidden|no basic auth credentials|access to the resource is denied/i.test(
      message,
    )
  )
    return 'unauthorized';
  if (/manifest unknown|not found|name unknown|NotFound/i.test(message))
    return 'gone';
  return undefined;
}

/** What to do about it, for the image and the namespace. */
export function imagePullHint(
  cause: ImagePullCause | undefined,
  image: string,
  namespace: string,
): string {
  const dead = image ? deadImage(image) : undefined;
  if (dead) {
    return (
      `${normalizeImageReference(image)} is a chart pin that no longer exists (${dead.sources[0]}). ` +
      `Re-render the tenant's values with the current plugins, which pull ${dead.replacement} instead, and merge the pull request.`
    );
  }
  switch (cause) {
    case 'gone':
      return (
        `The registry has no such image or tag. If the cluster pulls through a mirror (clearml.images.registry), mirror ${image} ` +
        "there under the same path; otherwise correct the image in the tenant's values."
      );
    case 'rateLimited':
      return (
        'Docker Hub limits anonymous pulls per IP address. Pull through a mirror registry (clearml.images.registry), ' +
        `or give the namespace a Docker Hub pull secret (clearml.images.pullSecret; oc create secret docker-registry <name> -n ${namespace} ...).`
      );
    case 'unauthorized':
      return (
        `The registry refused the credentials, or no pull secret was sent. Create the pull secret in ${namespace} ` +
        `(oc create secret docker-registry <name> -n ${namespace} --docker-server=<registry> --docker-username=... --docker-password=...) ` +
        'and name it in clearml.images.pullSecret, then re-render; on Docker Hub this answer also means the repository does not exist.'
      );
    default:
      return (
        'Check the image name and tag in the values, and that the namespace has a pull secret for its registry ' +
        '(clearml.images.pullSecret; enterprise images come from a private registry).'
      );
  }
}
