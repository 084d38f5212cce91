/**
 * What a tenant's retire pull request is: the tenant's directory replaced by nothing, and a description that lists
 * what the merge deletes (read from the removed files) and what the data policy keeps.
 */
import {
  GitopsChange,
  GitopsTarget,
  RetireDescriptionInput,
  renderRetireDescription,
  retirePullRequestTitle,
  tenantDeploymentOf,
} from '@clearml-openshift/plugin-clearml-node';

/** A claim the keep policy marked: its name and requested size. */
export type KeptClaim = { name: string; storage?: string };

/** The retire's content from the tenant's merged files: the paths it removes and what they deploy. */
export function retiredContent(
  current: Map<string, Buffer>,
  targetPath: string,
): Pick<RetireDescriptionInput, 'removedFiles' | 'deployment'> {
  return {
    removedFiles: [...current.keys()].sort(),
    deployment: tenantDeploymentOf(
      Object.fromEntries(
        [...current].map(([p, content]) => [
          p.slice(targetPath.length + 1),
          content.toString('utf8'),
        ]),
      ),
    ),
  };
}

/** The pull request's title, and its description once the kept claims are known (they are marked first). */
export function retireText(
  description: Omit<RetireDescriptionInput, 'keptClaims'>,
): { title: string; describe: (keptClaims: KeptClaim[]) => string } {
  return {
    title: retirePullRequestTitle(description.tenant, description.cluster),
    describe: keptClaims =>
      renderRetireDescription({ ...description, keptClaims }),
  };
}

/** The change that removes the tenant's directory. */
export function retireChange(options: {
  target: GitopsTarget;
  branchName: string;
  targetPath: string;
  title: string;
  description: () => string;
}): GitopsChange {
  const { target, branchName, targetPath, title, description } = options;
  return {
    host: target.host,
    owner: target.owner,
    repo: target.repo,
    branchName,
    targetPath,
    files: [],
    title,
    description,
    commitMessage: `${title}\n\nRemoves ${targetPath}/, by Backstage.`,
    labels: ['clearml', 'retire'],
    reviewers: [],
    teamReviewers: [],
    draft: false,
    // An empty file list with update replaces the directory with nothing: every file is removed.
    update: true,
  };
}
