/**
 * A container's environment as the kubelet gives it: `value`s as they are,
 * `valueFrom.secretKeyRef` read from the Secrets given (a missing Secret or key
 * fails, as the pod would with CreateContainerConfigError).
 */
export interface SecretLike {
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
}

export function resolveContainerEnv(
  container: { name: string; env?: Array<Record<string, any>> },
  secrets: readonly SecretLike[],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = String(variable.value);
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = secrets.find(s => s.metadata.name === ref.name);
    const encoded = secret?.data?.[ref.key];
    if (encoded === undefined) {
      if (ref.optional) continue;
      throw new Error(
        `container ${container.name}: ${variable.name} needs key ${ref.key} of Secret ${ref.name}, which ${secret ? 'lacks it' : 'does not exist'}`,
      );
    }
    env[variable.name] = Buffer.from(encoded, 'base64').toString();
  }
  return env;
}
