/**
 * What every day-2 action (change, upgrade, retire) is built from, and the production defaults of its clients: one
 * place, so the three read tenants, GitOps targets and clusters the same way.
 */
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  createGithubClientFactory,
  GitopsClientFactory,
  kubernetesClientFactory,
  KubernetesClientFactory,
  LocalGitTarget,
  readLocalGitTargets,
} from '@clearml-openshift/plugin-clearml-node';
import { TenantCatalogAccess } from '../catalog/tenantCatalog';
import { inMemoryTenantLeases, TenantLeases } from '../gitops/tenantLease';

/**
 * Options shared by the day-2 actions.
 *
 * @public
 */
export interface Day2ActionOptions {
  integrations: ScmIntegrationRegistry;
  config: Config;
  /** The catalog: the tenant is read from its entity (and its owner checked). */
  tenantCatalog: TenantCatalogAccess;
  /** Makes the GitHub client; default: Octokit through the integrations. */
  clientFactory?: GitopsClientFactory;
  /** Builds the Kubernetes clients; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
  /** One run per tenant at a time (shared with the module's other actions that write a tenant's files). */
  tenantLeases?: TenantLeases;
}

/** The clients and config a day-2 action runs with: the options' own, else the production defaults. */
export interface Day2ActionDependencies {
  clientFactory: GitopsClientFactory;
  credentialsProvider: DefaultGithubCredentialsProvider;
  kubeClientFactory: KubernetesClientFactory;
  leases: TenantLeases;
  localTargets: LocalGitTarget[];
}

export function day2ActionDependencies(
  options: Day2ActionOptions,
): Day2ActionDependencies {
  return {
    clientFactory: options.clientFactory ?? createGithubClientFactory(),
    credentialsProvider: DefaultGithubCredentialsProvider.fromIntegrations(
      options.integrations,
    ),
    kubeClientFactory:
      options.kubernetesClientFactory ?? kubernetesClientFactory(),
    leases: options.tenantLeases ?? inMemoryTenantLeases(),
    localTargets: readLocalGitTargets(options.config),
  };
}
