export interface Config {
  /**
   * The Kubernetes plugin's clusters: read by the ClearML plugins when `clearml.clusters` is absent. Only entries of
   * `type: config` with `authProvider: serviceAccount` and a `serviceAccountToken` can be used; the others get a
   * warning at startup.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      type: string;
      clusters?: Array<{
        name: string;
        url: string;
        authProvider?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        /** @visibility secret */
        caFile?: string;
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
  /**
   * ClearML tenants on OpenShift. This package reads the keys below (clusters, tenant namespaces, GitOps targets,
   * Argo CD and charts); `clearml.scc` is declared by the scaffolder module and `clearml.health` by the backend.
   */
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
      /**
       * Path of a PEM file with the API server's CA.
       * @visibility secret
       */
      caFile?: string;
      /** Skip TLS verification (never in production). Plain http:// URLs need it. */
      skipTLSVerify?: boolean;
      /** The cluster's apps domain; default tenant domain is clearml-<tenant>.<appsDomain> (hosts clearml-<tenant>-app.<appsDomain>, …). */
      appsDomain?: string;
      /** How long one API request may take before it fails (default 10). */
      requestTimeoutSeconds?: number;
    }>;
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
    gitops?: {
      /**
       * The GitOps repositories tenants live in, as RepoUrlPicker writes them (`github.com?owner=platform&repo=gitops`).
       * `clearml:gitops:pull-request` writes to no other GitHub repository, and only an entity registered from
       * `tenants/<tenant>/catalog-info.yaml` of one of them (or of a local target) is a tenant (docs/security.md).
       */
      repositories?: string[];
      /**
       * Local git targets: a `repoUrl` whose host is listed here (`<host>?owner=<owner>&repo=<repo>`) names the
       * bare repository `<baseDir>/<owner>/<repo>.git` on the backend's disk instead of a GitHub repository.
       * `clearml:gitops:pull-request` writes branch `clearml/<tenant>` into it and puts the pull-request description
       * in the commit message; reviewers merge by hand. The clearml backend serves the tenant's catalog file from it.
       * Used by the local instance and by teams whose GitOps repository is a plain git server the backend reaches
       * on disk.
       */
      localTargets?: Array<{
        /** The host name templates use in `repoUrl`, e.g. `git.local`. Must not be a GitHub integration's host. */
        host: string;
        /** Directory of the bare repositories; relative paths are taken from the backend's working directory. */
        baseDir: string;
        /** Branch a new repository gets and pull requests target by default. Default `main`. */
        defaultBranch?: string;
        /**
         * The `<owner>/<repo>` repositories of this target the action may create when missing (default none:
         * only repositories that already exist on disk are written to).
         */
        repositories?: string[];
        /** Author and committer of the pushed commits. Default `Backstage <backstage@localhost>`. */
        author?: { name?: string; email?: string };
      }>;
      /** How the GitOps pull request tells Argo CD (OpenShift GitOps) to deploy a tenant (docs/argocd.md). */
      argocd?: {
        /**
         * `applications` (default): an Argo CD Application per release in the tenant's directory; `plain`: no
         * Applications, the platform team's own ApplicationSet deploys the directory.
         */
        render?: 'applications' | 'plain';
        /** Namespace of the Argo CD instance the Applications live in (default `openshift-gitops`). */
        namespace?: string;
        /** Argo CD project of the Applications (default `default`). */
        project?: string;
        /** The GitOps repository as Argo CD clones it (default: derived from the pull request's repository). */
        repoURL?: string;
        /** Branch, tag or commit of the GitOps repository the Applications follow (default `HEAD`). */
        targetRevision?: string;
        /** Sync automatically, prune and self-heal (default true). */
        automatedSync?: boolean;
        /**
         * Per Backstage cluster (a `clearml.clusters` name), the Argo CD destination: exactly one of `server`
         * (API server URL) and `name` (the cluster's name in Argo CD). Default: Argo CD's own cluster.
         */
        destinations?: Array<{
          cluster: string;
          server?: string;
          name?: string;
        }>;
      };
    };
    /**
     * Size tiers the form offers (default: small, medium, large; the first is the default). A tier sizes every
     * container of the charts, every claim and the agent's task pods; the tenant's ResourceQuota and LimitRange
     * are computed from it. A field a tier leaves out takes the built-in tier of the same name (or `small`).
     * Quantities are Kubernetes quantities (`500m`, `2`, `4Gi`).
     */
    tiers?: Array<{
      /** DNS-1123 label the form and the `tier` input use. */
      name: string;
      title?: string;
      description?: string;
      /**
       * Requests and limits per container: apiserver (also the async-delete worker), fileserver, webserver,
       * serverInit, mongodb, redis, elasticsearch, elasticsearchInit, agent, agentInit, appGateway.
       */
      containers?: {
        [container: string]: {
          requests?: { cpu?: string; memory?: string };
          limits?: { cpu?: string; memory?: string };
        };
      };
      /** Claim sizes: mongodb, redis, elasticsearch, fileserver. */
      storage?: { [claim: string]: string };
      /** Task pods the quota leaves room for, and each one's requests and limits (also the LimitRange default). */
      taskPods?: {
        count?: number;
        requests?: { cpu?: string; memory?: string };
        limits?: { cpu?: string; memory?: string };
      };
    }>;
    /** The tenant's own credentials Secret (docs/credentials.md). */
    credentials?: {
      /**
       * How each tenant's Secret `clearml-credentials` (server keys, token-signing secret, the agent's credential)
       * reaches the cluster. `externalSecrets` (default): the pull request holds an ExternalSecret with a Password
       * generator; the External Secrets Operator must be installed on the cluster. `direct`:
       * `clearml:credentials:create` creates the Secret with the cluster's grantToken once the pull request is open, before the merge.
       */
      delivery?: 'externalSecrets' | 'direct';
    };
    /** Which certificate serves each tenant's Routes (docs/credentials.md#certificates-that-cover-the-hosts). */
    certificates?: {
      /**
       * `routerDefault` (default): the router's default certificate (`*.<apps domain>`; not the app gateway's wildcard).
       * `certManager`: a cert-manager Certificate per tenant (its hosts, and the app gateway wildcard when enabled),
       * Secret `clearml-tls`, referenced by the Routes' `spec.tls.externalCertificate` (OpenShift 4.19+).
       * `wildcardSecret`: the Routes reference an existing wildcard Secret in each tenant namespace (OpenShift 4.19+).
       */
      mode?: 'routerDefault' | 'certManager' | 'wildcardSecret';
      /** certManager: the issuer that signs the tenant's Certificate (DNS-01 for the app gateway's wildcard). */
      issuerRef?: {
        name: string;
        /** Default `ClusterIssuer`. */
        kind?: 'Issuer' | 'ClusterIssuer';
      };
      /** wildcardSecret: the `kubernetes.io/tls` Secret, present in each tenant namespace, whose wildcard covers the hosts. */
      wildcardSecretName?: string;
    };
    /**
     * Where tenant images are pulled from (docs/openshift-and-clearml.md#images). Unset: from their public registries
     * (docker.io, docker.elastic.co), with the chart pins that are gone replaced.
     */
    images?: {
      /**
       * Mirror registry `host[:port][/path]` (no scheme): every image the tenant's charts render, the subcharts' and
       * the agent's task pods' included, is rewritten to `<registry>/<repository>:<tag>`.
       */
      registry?: string;
      /**
       * Name of a `kubernetes.io/dockerconfigjson` Secret in each tenant namespace that every pod (task pods too)
       * pulls with.
       */
      pullSecret?: string;
    };
    // Each chart's source is spelled out: a config schema may declare no type besides Config (Backstage's and
    // Developer Hub's schema collectors refuse other symbols).
    /**
     * Which chart repository and version each release is installed from (default: the public clearml and
     * clearml-agent charts; the enterprise charts have no default), and what to do on a cluster newer than a
     * chart's `kubeVersion` allows.
     */
    charts?: {
      clearml?: {
        /** Helm repository URL (or `oci://` registry path) of the chart. */
        repository?: string;
        /** Chart version. */
        version?: string;
        /** The chart's `kubeVersion` range, when it is not one the plugins already know (semver range). */
        kubeVersion?: string;
      };
      'clearml-agent'?: {
        /** Helm repository URL (or `oci://` registry path) of the chart. */
        repository?: string;
        /** Chart version. */
        version?: string;
        /** The chart's `kubeVersion` range, when it is not one the plugins already know (semver range). */
        kubeVersion?: string;
      };
      'clearml-enterprise'?: {
        /** Helm repository URL (or `oci://` registry path) of the chart. */
        repository?: string;
        /** Chart version. */
        version?: string;
        /** The chart's `kubeVersion` range, when it is not one the plugins already know (semver range). */
        kubeVersion?: string;
      };
      'clearml-enterprise-agent'?: {
        /** Helm repository URL (or `oci://` registry path) of the chart. */
        repository?: string;
        /** Chart version. */
        version?: string;
        /** The chart's `kubeVersion` range, when it is not one the plugins already know (semver range). */
        kubeVersion?: string;
      };
      'clearml-enterprise-app-gateway'?: {
        /** Helm repository URL (or `oci://` registry path) of the chart. */
        repository?: string;
        /** Chart version. */
        version?: string;
        /** The chart's `kubeVersion` range, when it is not one the plugins already know (semver range). */
        kubeVersion?: string;
      };
      /**
       * The Kubernetes version (e.g. `1.32.0`) Argo CD renders the charts for when a chart refuses the cluster's
       * own. Unset (the default): such a tenant is refused.
       */
      kubeVersionOverride?: string;
    };
  };
}
