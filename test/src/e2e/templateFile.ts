/** The repository's tenant template and skeleton, read from disk as the catalog reads them. */
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';

export const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');
export const TENANT_TEMPLATE_PATH = path.join(
  TEMPLATES_DIR,
  'clearml-tenant/template.yaml',
);

export interface TemplateStep {
  id: string;
  name: string;
  action: string;
  if?: unknown;
  input?: Record<string, unknown>;
}

export function readTenantTemplate(): any {
  return yaml.load(fs.readFileSync(TENANT_TEMPLATE_PATH, 'utf8'));
}

/** Every template `all-templates.yaml` registers, by its path below templates/ (as the catalog loads them). */
export function readAllTemplates(): Array<[string, any]> {
  const location = yaml.load(
    fs.readFileSync(path.join(TEMPLATES_DIR, 'all-templates.yaml'), 'utf8'),
  ) as { spec: { targets: string[] } };
  return location.spec.targets.map(target => [
    target,
    yaml.load(fs.readFileSync(path.join(TEMPLATES_DIR, target), 'utf8')),
  ]);
}

/** Every property schema of the form, page by page, including those inside `dependencies.*.oneOf`. */
export function formProperty(template: any, name: string): any[] {
  const found: any[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (node.properties?.[name]) found.push(node.properties[name]);
    for (const dep of Object.values<any>(node.dependencies ?? {}))
      for (const branch of dep.oneOf ?? []) visit(branch);
  };
  for (const page of template.spec.parameters) visit(page);
  return found;
}
