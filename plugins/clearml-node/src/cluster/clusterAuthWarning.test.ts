import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { readClearmlClusters } from './clusters';

/** A LoggerService that keeps what it was told, as a platform engineer reads the backend's log. */
function capturingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger: LoggerService = {
    error: message => void lines.push({ level: 'error', message }),
    warn: message => void lines.push({ level: 'warn', message }),
    info: message => void lines.push({ level: 'info', message }),
    debug: message => void lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return {
    logger,
    warnings: () => lines.filter(l => l.level === 'warn').map(l => l.message),
  };
}

const kubernetesClusters = (clusters: object[]) =>
  new ConfigReader({
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
  });

describe('readClearmlClusters at startup', () => {
  it('warns about a Kubernetes plugin cluster signed in with oidc, naming it and what to set', () => {
    const { logger, warnings } = capturingLogger();
    const clusters = readClearmlClusters(
      kubernetesClusters([
        {
          name: 'ocp-prod',
          url: 'https://api.ocp-prod.example.com:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'sha256~r',
        },
        {
          name: 'ocp-sso',
          url: 'https://api.ocp-sso.example.com:6443',
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
        },
      ]),
      { logger },
    );
    // The cluster is still listed (the picker shows it); the log says why its tenants will be unknown.
    expect(clusters.map(c => c.name)).toEqual(['ocp-prod', 'ocp-sso']);
    expect(warnings()).toEqual([
      "ClearML cluster 'ocp-sso' (kubernetes.clusterLocatorMethods[0].clusters[1]) has authProvider 'oidc': " +
        "the ClearML plugins have no token for it, so its tenants' health is unknown and clearml:scc:grant cannot use it. " +
        'Set authProvider: serviceAccount and a read-only serviceAccountToken on that entry, ' +
        'or list the cluster under clearml.clusters with serviceAccountToken (and grantToken for clearml:scc:grant).',
    ]);
  });

  it('says the token is used when a non-serviceAccount entry carries one, and flags a missing authProvider', () => {
    const { logger, warnings } = capturingLogger();
    readClearmlClusters(
      kubernetesClusters([
        {
          name: 'gke',
          url: 'https://34.1.2.3',
          authProvider: 'google',
          serviceAccountToken: 'sha256~t',
        },
        { name: 'bare', url: 'https://api.bare.example.com:6443' },
      ]),
      { logger },
    );
    expect(warnings()).toHaveLength(2);
    expect(warnings()[0]).toMatch(
      /^ClearML cluster 'gke' \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[0\]\) has authProvider 'google': the ClearML plugins ignore it and send the entry's serviceAccountToken\./,
    );
    expect(warnings()[1]).toMatch(
      /^ClearML cluster 'bare' \(kubernetes\.clusterLocatorMethods\[0\]\.clusters\[1\]\) has no authProvider: /,
    );
  });

  it('warns about a serviceAccount cluster without a token, which the Kubernetes plugin would run as its own pod', () => {
    const { logger, warnings } = capturingLogger();
    readClearmlClusters(
      kubernetesClusters([
        {
          name: 'in-cluster',
          url: 'https://kubernetes.default.svc',
          authProvider: 'serviceAccount',
        },
      ]),
      { logger },
    );
    expect(warnings()).toEqual([
      "ClearML cluster 'in-cluster' (kubernetes.clusterLocatorMethods[0].clusters[0]) has authProvider 'serviceAccount' " +
        "but no serviceAccountToken: the ClearML plugins have no token for it, so its tenants' health is unknown. " +
        'Set a read-only serviceAccountToken on that entry, or list the cluster under clearml.clusters with serviceAccountToken.',
    ]);
  });

  it('is silent for serviceAccount clusters with a token, for clearml.clusters, and without a logger', () => {
    const { logger, warnings } = capturingLogger();
    readClearmlClusters(
      kubernetesClusters([
        {
          name: 'ok',
          url: 'https://api.ok.example.com:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 't',
        },
      ]),
      { logger },
    );
    // clearml.clusters wins over the Kubernetes plugin's list, which is then not read at all.
    readClearmlClusters(
      new ConfigReader({
        clearml: {
          clusters: [
            {
              name: 'own',
              url: 'https://api.own.example.com:6443',
              serviceAccountToken: 't',
            },
          ],
        },
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [{ name: 'x', url: 'https://x', authProvider: 'aws' }],
            },
          ],
        },
      }),
      { logger },
    );
    expect(warnings()).toEqual([]);
    // Per-request reads pass no logger: the warning is a startup message, not one per grant or health check.
    expect(() =>
      readClearmlClusters(
        kubernetesClusters([
          { name: 'x', url: 'https://x', authProvider: 'aws' },
        ]),
      ),
    ).not.toThrow();
  });
});
