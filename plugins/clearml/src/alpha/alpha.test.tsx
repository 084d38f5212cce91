import { screen, waitFor } from '@testing-library/react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ApiBlueprint } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  acmeTenant,
  entityWithoutAnnotations,
  healthyReport,
  tenantEntity,
} from '../../dev/fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../__testUtils__/healthApiDouble';
import { testClearmlClient } from '../__testUtils__/testClient';
import { ClearmlApi, clearmlApiRef, ClearmlClient } from '../api';
import {
  ClustersApiDouble,
  startClustersApiDouble,
} from '../components/ClusterPicker/clustersApiDouble';
import { validateClusterCharts } from '../components/ClusterPicker';
import alphaPlugin, {
  clearmlApi,
  clearmlClusterPickerFormField,
  clearmlTenantDomainFormField,
  clearmlTenantHealthEntityCard,
} from '../alpha';

const acme = tenantEntity(acmeTenant);

// Rendering in a test app takes seconds on a loaded machine.
jest.setTimeout(30_000);

describe('the new frontend system plugin (@clearml-openshift/plugin-clearml/alpha)', () => {
  let health: HealthApiDouble;
  let clusters: ClustersApiDouble;

  beforeAll(async () => {
    health = await startHealthApiDouble();
    clusters = await startClustersApiDouble();
  });
  afterAll(async () => {
    await health.close();
    await clusters.close();
  });

  it('is the clearml plugin with the API, the entity card, the three form fields and the fleet page', () => {
    expect(alphaPlugin.id).toBe('clearml');
    for (const id of [
      'api:clearml',
      'entity-card:clearml/tenant-health',
      'scaffolder-form-field:clearml/cluster-picker',
      'scaffolder-form-field:clearml/tenant-domain',
      'scaffolder-form-field:clearml/storage-class',
      'page:clearml',
    ]) {
      expect(alphaPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it("provides the ClearML API: a client on the app's discovery and fetch APIs that reads the backend", async () => {
    const factory = createExtensionTester(clearmlApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(clearmlApiRef.id);
    const api = factory.factory({
      discoveryApi: mockApis.discovery({ baseUrl: health.baseUrl }),
      fetchApi: new MockFetchApi({
        injectIdentityAuth: { token: 'user-token' },
      }),
    }) as ClearmlApi;
    expect(api).toBeInstanceOf(ClearmlClient);

    health.answer(stringifyEntityRef(acme), healthyReport());
    await expect(
      api.getTenantHealth(stringifyEntityRef(acme)),
    ).resolves.toMatchObject({ status: 'healthy' });
    expect(health.requests.at(-1)).toEqual({
      path: '/api/clearml/v1/health',
      entityRef: stringifyEntityRef(acme),
      authorization: 'Bearer user-token',
    });
  });

  describe('the entity card', () => {
    it('is shown for ClearML tenants only', () => {
      const tester = createExtensionTester(clearmlTenantHealthEntityCard);
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
      expect(filter(acme)).toBe(true);
      expect(filter(entityWithoutAnnotations)).toBe(false);
    });

    it("renders the tenant's health from the backend", async () => {
      health.answer(stringifyEntityRef(acme), healthyReport());
      const tester = createExtensionTester(clearmlTenantHealthEntityCard);
      renderInTestApp(
        <EntityProvider entity={acme}>{tester.reactElement()}</EntityProvider>,
        { apis: [[clearmlApiRef, testClearmlClient(health.baseUrl)]] },
      );
      expect(
        await screen.findByText(
          'ClearML tenant health',
          {},
          { timeout: 10_000 },
        ),
      ).toBeInTheDocument();
      expect(
        await screen.findByRole(
          'status',
          { name: 'Tenant status' },
          { timeout: 10_000 },
        ),
      ).toHaveTextContent('Healthy');
    });
  });

  describe('the form fields', () => {
    it('give the scaffolder ClearmlClusterPicker (with its charts validation) and ClearmlTenantDomain', async () => {
      const picker = await createExtensionTester(
        clearmlClusterPickerFormField,
      ).get(FormFieldBlueprint.dataRefs.formFieldLoader)();
      const domain = await createExtensionTester(
        clearmlTenantDomainFormField,
      ).get(FormFieldBlueprint.dataRefs.formFieldLoader)();
      // What the scaffolder reads from a loaded form field: the ui:field name, the component and its validation.
      expect(picker).toMatchObject({
        name: 'ClearmlClusterPicker',
        validation: validateClusterCharts,
      });
      expect(domain).toMatchObject({ name: 'ClearmlTenantDomain' });
    });

    it("ClearmlClusterPicker lists the backend's clusters", async () => {
      clusters.answer([
        {
          name: 'ocp-prod',
          appsDomain: 'apps.ocp-prod.example.com',
          canGrant: true,
        },
      ]);
      const field = (await createExtensionTester(
        clearmlClusterPickerFormField,
      ).get(FormFieldBlueprint.dataRefs.formFieldLoader)()) as any;
      const Picker = field.component;
      renderInTestApp(
        <Picker
          schema={{ type: 'string', title: 'Cluster' }}
          uiSchema={{}}
          idSchema={{ $id: 'root_cluster' }}
          rawErrors={[]}
          required
          onChange={() => {}}
        />,
        { apis: [[clearmlApiRef, testClearmlClient(clusters.baseUrl)]] },
      );
      const select = await screen.findByLabelText(
        /Cluster/,
        {},
        { timeout: 10_000 },
      );
      await waitFor(() => expect(select).not.toBeDisabled(), {
        timeout: 10_000,
      });
      expect(
        screen.getByRole('option', {
          name: 'ocp-prod (apps domain apps.ocp-prod.example.com; SCC grants can be applied)',
        }),
      ).toBeInTheDocument();
    });
  });
});
