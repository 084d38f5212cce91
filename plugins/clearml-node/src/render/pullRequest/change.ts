/**
 * The change pull request's title and description: who asked and why, the settings that change, the effective
 * change (effectiveChangeMarkdown.ts), what a tier change does to the claims, what happens to the catalog entity,
 * and the review checklist. Pure: every value from a form or a file goes through the Markdown helpers.
 */
import { SccGrant } from '@clearml-openshift/plugin-clearml-common';
import type { ClaimResize } from './claimResize';
import { renderClaimResizes } from './claimResize';
import { sccGrantCommand } from './commands';
import type { EffectiveChange } from './effectiveChange';
import { renderEffectiveChange } from './effectiveChangeMarkdown';
import { code, fencedBlock, table, text } from './markdown';

/**
 * One setting of the tenant that the change moves, as the reviewer reads it.
 *
 * @public
 */
export interface ChangedSetting {
  field: string;
  before: string;
  after: string;
}

/** @public */
export interface ChangeDescriptionInput {
  tenant: string;
  entityRef: string;
  cluster: string;
  namespace: string;
  /** The tenant's directory in the repository. */
  targetPath: string;
  /** The branch the change merges into. */
  defaultBranch: string;
  settings: ChangedSetting[];
  change: EffectiveChange;
  claimResizes: ClaimResize[];
  /** The re-rendered tenant's grants with their reasons (the added ones are explained from them). */
  sccGrants: SccGrant[];
  /** The tenant's hosts after the change, when they or their exposure change (DNS and TLS to check). */
  hosts?: string[];
  /** Whether `catalog-info.yaml` changes (description, owner or annotations). */
  catalogInfoChanged: boolean;
  requestedBy?: string;
  reason?: string;
}

/**
 * The title of a tenant's change pull request: `Change ClearML tenant <tenant>: <field>, <field>`.
 *
 * @public
 */
export function changePullRequestTitle(
  tenant: string,
  fields: string[],
): string {
  return `Change ClearML tenant ${tenant}: ${fields.join(', ')}`;
}

function catalogSection(input: ChangeDescriptionInput): string {
  if (!input.catalogInfoChanged) return '';
  return [
    '### The catalog entity',
    '',
    `${code('catalog-info.yaml')} changes. The catalog registered the tenant from that file at the commit of its ` +
      'first pull request and keeps reading it there, so the entity shows the new text only once it is registered ' +
      `again from a commit of ${code(input.defaultBranch)} after this merge: unregister ${code(input.entityRef)} in ` +
      "the catalog, then register the file's URL at the merge commit (docs/fleet-and-lifecycle.md, Change a tenant). " +
      'Until then the entity keeps its registered description and annotations, and the card checks the tenant as ' +
      'registered (an app gateway turned on or off is checked once the entity is registered again); the cluster does ' +
      'not depend on it.',
  ].join('\n');
}

function checklist(input: ChangeDescriptionInput): string {
  const items = [
    `The settings above are what the owner of ${code(input.entityRef)} asked for.`,
  ];
  const added = input.change.grants.added;
  if (added.length) {
    const reasons = added.map(g => {
      const reason = input.sccGrants.find(
        r => r.scc === g.scc && r.serviceAccount === g.serviceAccount,
      )?.reason;
      return `${code(g.scc)} → ${code(g.serviceAccount)}${reason ? `: ${text(reason)}` : ''}`;
    });
    items.push(
      `A cluster admin approves the added SCC grants (${reasons.join('; ')}). Where Argo CD may not bind SCC roles ` +
        `(docs/argocd.md), the admin applies them before the merge (the namespace exists):\n\n${fencedBlock(
          'sh',
          added.map(g => sccGrantCommand(g, input.namespace)),
          '  ',
        )}`,
    );
  }
  if (input.hosts?.length) {
    items.push(
      `DNS: ${input.hosts.map(code).join(', ')} resolve to the cluster's router or ingress controller, and it serves ` +
        'a certificate valid for them.',
    );
  }
  if (input.change.releases.installed.length) {
    items.push(
      'The images of the new release can be pulled on the cluster (mirror and pull secret as for the tenant).',
    );
  }
  if (input.claimResizes.length) {
    items.push(
      "The claims' StorageClass allows volume expansion, and a cluster admin grows the StatefulSets' claims (Storage above).",
    );
  }
  items.push(
    `Every file is below ${code(`${input.targetPath}/`)}; no other tenant's directory changes.`,
  );
  return ['### Review checklist', '', ...items.map(i => `- [ ] ${i}`)].join(
    '\n',
  );
}

/**
 * The generated body of a tenant's change pull request.
 *
 * @public
 */
export function renderChangeDescription(input: ChangeDescriptionInput): string {
  const sections = [
    `## Change ClearML tenant ${code(input.tenant)}`,
    [
      `Re-renders ${code(`${input.targetPath}/`)} from the tenant's changed settings: the tenant ${code(input.entityRef)}, ` +
        `namespace ${code(input.namespace)} on cluster ${code(input.cluster)}.`,
      ...(input.requestedBy
        ? ['', `Requested by ${code(input.requestedBy)}.`]
        : []),
      ...(input.reason ? ['', `Reason: ${text(input.reason)}`] : []),
    ].join('\n'),
    [
      '### Settings',
      '',
      table(
        ['setting', 'before', 'after'],
        input.settings.map(s => [
          code(s.field),
          s.before ? code(s.before) : '_none_',
          s.after ? code(s.after) : '_none_',
        ]),
      ),
    ].join('\n'),
    renderEffectiveChange(input.change),
    renderClaimResizes(input.claimResizes, input.namespace),
    catalogSection(input),
    checklist(input),
    '<sub>Opened by the Backstage action `clearml:tenant:change`.</sub>',
  ].filter(s => s !== '');
  return `${sections.join('\n\n')}\n`;
}
