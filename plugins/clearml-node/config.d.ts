export interface Config {
  /** ClearML tenants on OpenShift: clusters, SCC grant rules and the health card. */
  clearml?: {
    /**
     * The clusters tenants live on. When absent, the clusters of
     * `kubernetes.clusterLocatorMethods` entries of `type: config` are used
     * (read-only: such clusters have no grantToken).
     */
    clusters?: Array<{
      /** Name templates and the `clear.ml/cluster` annotation refer to. */
      name: string;
      /** API server URL, e.g. https://api.ocp-prod.example.com:6443 */
      url: string;
      /**
       * Read-only token (health, reads): get/list/watch on the tenant's workloads, pods, events, routes.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Token of the SCC granter (only `clearml:scc:grant` uses it); see docs/scc-grant.md for its ClusterRole.
       * @visibility secret
       */
      grantToken?: string;
      /**
       * Base64-encoded PEM of the API server's CA.
       * @visibility secret
       */
      caData?: string;
      /** Path of a PEM file with the API server's CA. */
      caFile?: string;
      /** Skip TLS verification (never in production). Plain http:// URLs need it. */
      skipTLSVerify?: boolean;
      /** The cluster's apps domain; default tenant domain is <tenant>.clearml.<appsDomain>. */
      appsDomain?: string;
      /** How long one API request may take before it fails (default 10). */
      requestTimeoutSeconds?: number;
    }>;
    scc?: {
      /** SCCs `clearml:scc:grant` may grant (default [anyuid, nonroot-v2]); `privileged` only if listed here. */
      allowed?: string[];
      /**
       * ServiceAccounts `clearml:scc:grant` may grant an allowed SCC to in a tenant's namespace beyond the ones
       * the values renderer computes for the tenant (default none). `default` is never granted.
       */
      allowedServiceAccounts?: string[];
    };
    /** Which namespaces tenants may use (the grant action, the pull-request preflight and the health API). */
    tenants?: {
      /** Glob every tenant namespace matches; `*` is any run of letters, digits and '-' (default `clearml-*`). */
      namespacePattern?: string;
      /**
       * Existing namespaces without the `clear.ml/tenant` label that the platform team hands to a tenant.
       * Any other existing namespace must carry the label naming the tenant.
       */
      adopt?: Array<{
        /** The namespace, e.g. `clearml-legacy`. */
        namespace: string;
        /** The tenant it belongs to. */
        tenant: string;
      }>;
    };
    health?: {
      /** How long a tenant's health report is reused (default 15). */
      cacheSeconds?: number;
      /** Whether to probe the tenant's public endpoints (api /debug.ping, files, web) (default true). */
      probeEndpoints?: boolean;
    };
  };
}
