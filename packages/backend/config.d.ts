/**
 * Config keys only the local instance (`npm start`, this package) reads. Not part of the plugins' config schemas
 * (`configSchema: config.d.ts` at the package root, which a production backend loads): a production backend neither
 * reads nor declares them. test/src/config/configSchema.test.ts checks the root app-config.yaml against it.
 */
export interface Config {
  clearml?: {
    /** What the local instance embeds. */
    demo?: {
      /** The `clearml.clusters` entry the embedded Kubernetes API double serves (a loopback URL with a port). */
      cluster?: string;
      /** Bare repositories (`<localTargets host>?owner=<owner>&repo=<repo>`) created on first start. */
      gitRepositories?: string[];
      /**
       * The Kubernetes version the demo cluster's `GET /version` reports: `1.31`, `1.32` or `1.33` (OpenShift 4.18,
       * 4.19, 4.20). Default `1.33`.
       */
      kubernetesVersion?: '1.31' | '1.32' | '1.33';
    };
  };
}
