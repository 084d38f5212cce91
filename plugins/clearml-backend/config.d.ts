export interface Config {
  /** The keys the clearml backend (health API) reads itself; clusters and GitOps targets are declared by clearml-node. */
  clearml?: {
    health?: {
      /** How long a tenant's health report is reused, in seconds (default 15). */
      cacheSeconds?: number;
      /** Whether to probe the tenant's public endpoints (api /debug.ping, files, web) (default true). */
      probeEndpoints?: boolean;
      /** How long one endpoint probe (api /debug.ping, files /, web /) may take, in seconds (default 3). */
      probeTimeoutSeconds?: number;
      /**
       * Keep one shared view of each cluster's tenant objects (list-and-watch informers, cluster-wide) that every
       * tenant's check reads (default true). Off, or when the read token may not list and watch cluster-wide, each
       * check lists its tenant's namespaces.
       */
      sharedView?: boolean;
      /** The shared view's watches are renewed this often (seconds, default 30); a cluster silent for this long plus its request timeout turns its tenants unknown. */
      watchSeconds?: number;
    };
    /**
     * Only the local instance (`plugins/clearml-backend/dev`) reads this: what it embeds. A production backend
     * ignores it.
     */
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
