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
      /** The shared view's watches are renewed this often (seconds, default 30); a watch silent for this long plus the request timeout is reopened. */
      watchSeconds?: number;
      /**
       * How long (seconds, default 120) the shared view keeps serving a cluster's last known state, marked stale with
       * its age, after it last heard from the cluster (a refused or dropped watch, 429/503, a silent server); past it
       * the cluster's tenants are unknown with the cause.
       */
      staleSeconds?: number;
      /**
       * How often the backend looks for retired tenants (retire pull request merged, no Argo CD Application left)
       * and removes their catalog entities (default 300; 0 turns it off).
       */
      retiredSweepSeconds?: number;
    };
  };
}
