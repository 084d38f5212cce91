export interface Config {
  /**
   * The keys the ClearML scaffolder actions read themselves. Clusters, tenant namespaces, local git targets, Argo CD
   * and charts are read through `@clearml-openshift/plugin-clearml-node`, which declares them.
   */
  clearml?: {
    /** What `clearml:scc:grant` may grant. */
    scc?: {
      /** SCCs `clearml:scc:grant` may grant (default [anyuid, nonroot-v2]); `privileged` only if listed here. */
      allowed?: string[];
      /**
       * ServiceAccounts `clearml:scc:grant` may grant an allowed SCC to in a tenant's namespace beyond the ones
       * the values renderer computes for the tenant (default none). `default` is never granted.
       */
      allowedServiceAccounts?: string[];
    };
    /** The fleet upgrade (`clearml:fleet:upgrade`). */
    fleet?: {
      /**
       * The group whose members may run `clearml:fleet:upgrade` when the permission framework is off (with it on,
       * the policy decides `clearml.fleet.upgrade`), e.g. group:default/platform. Unset and no framework: nobody may.
       */
      platformGroup?: string;
    };
    gitops?: {
      /**
       * Branches `clearml:gitops:pull-request` never uses as its work branch, besides the target branch
       * (default [main, master]).
       */
      protectedBranches?: string[];
    };
  };
}
