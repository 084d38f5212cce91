/**
 * A tenant's current state as day-2 actions start from it: its settings record and every file of its directory on
 * the repository's default branch (what is merged, not what a pull request proposes). The record is untrusted: it is
 * parsed with the template's rules and must be the tenant's own.
 */
import { InputError, NotFoundError } from '@backstage/errors';
import {
  parseTenantSettings,
  tenantDirectory,
  tenantNameProblem,
  TENANT_SETTINGS_API_VERSION,
  TENANT_SETTINGS_FILE,
  TENANT_SETTINGS_KIND,
  TenantSettings,
} from '@clearml-openshift/plugin-clearml-common';
import type { GitopsRepositoryReader } from './reader';

/**
 * A tenant's settings record and the merged files of its directory.
 *
 * @public
 */
export interface TenantSettingsRead {
  settings: TenantSettings;
  /** `tenants/<tenant>`. */
  directory: string;
  /** Every file below the directory on the default branch, by repository path (the record included). */
  files: Map<string, Buffer>;
  /** The branch they were read from. */
  defaultBranch: string;
}

/**
 * Reads `tenants/<tenant>/tenant-settings.yaml` and the directory's files from the default branch. A NotFoundError
 * names the directory or the record when it is missing (with how to add the record), an InputError every problem of a
 * malformed record.
 *
 * @public
 */
export async function readTenantSettings(
  reader: GitopsRepositoryReader,
  tenant: string,
): Promise<TenantSettingsRead> {
  const nameProblem = tenantNameProblem(tenant);
  if (nameProblem) throw new InputError(nameProblem);
  const directory = tenantDirectory(tenant);
  const recordPath = `${directory}/${TENANT_SETTINGS_FILE}`;
  const files = await reader.filesIn(directory);
  if (files.size === 0) {
    throw new NotFoundError(
      `${directory}/ is not on branch ${reader.defaultBranch}: tenant ${tenant} has no merged files (is its first pull request still open?)`,
    );
  }
  const record = files.get(recordPath);
  if (!record) {
    throw new NotFoundError(
      `${recordPath} is not on branch ${reader.defaultBranch}: tenant ${tenant} was created before Backstage kept its ` +
        `settings record. Add it by hand: a YAML file with apiVersion ${TENANT_SETTINGS_API_VERSION}, kind ` +
        `${TENANT_SETTINGS_KIND} and a spec holding the inputs the tenant was created with (docs/template.md, "The ` +
        'settings record"), merged into the default branch; day-2 actions then start from it.',
    );
  }
  const parsed = parseTenantSettings(record.toString('utf8'));
  if ('problems' in parsed) {
    throw new InputError(
      `${recordPath} on branch ${reader.defaultBranch} is not a valid settings record: ${parsed.problems.join('; ')}`,
    );
  }
  if (parsed.settings.tenant !== tenant) {
    throw new InputError(
      `${recordPath} on branch ${reader.defaultBranch} is not a valid settings record: spec.tenant is ` +
        `${JSON.stringify(parsed.settings.tenant)}, but the record is tenant ${tenant}'s`,
    );
  }
  return {
    settings: parsed.settings,
    directory,
    files,
    defaultBranch: reader.defaultBranch,
  };
}
