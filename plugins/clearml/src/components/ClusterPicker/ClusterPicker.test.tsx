import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef, ClearmlClient } from '../../api';
import { ClustersApiDouble, startClustersApiDouble } from './clustersApiDouble';
import { ClusterPicker, validateClusterCharts } from './ClusterPicker';
import { TenantDomainField } from './TenantDomainField';
import { testClearmlClient } from '../../__testUtils__/testClient';

const CLUSTERS: ClusterSummary[] = [
  { name: 'ocp-prod', appsDomain: 'apps.ocp-prod.example.com', canGrant: true },
  { name: 'ocp-lab', canGrant: false },
];

/** The props RJSF gives a custom field, as far as the fields use them. */
function fieldProps(overrides: Record<string, unknown>): any {
  return {
    schema: { type: 'string', title: overrides.title ?? 'Field' },
    uiSchema: {},
    idSchema: { $id: `root_${overrides.name}` },
    rawErrors: [],
    required: true,
    ...overrides,
  };
}

/** A two-field form in the stepper's way: every field sees all values through formContext.formData. */
function Form(props: {
  initial: Record<string, unknown>;
  onValues: (v: Record<string, unknown>) => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(props.initial);
  const set = (key: string) => (value: unknown) =>
    setValues(current => {
      const next = { ...current, [key]: value };
      props.onValues(next);
      return next;
    });
  return (
    <>
      <input
        aria-label="tenant"
        value={(values.tenant as string) ?? ''}
        onChange={e => set('tenant')(e.target.value)}
      />
      <ClusterPicker
        {...fieldProps({
          name: 'cluster',
          title: 'Cluster',
          formData: values.cluster,
          onChange: set('cluster'),
        })}
      />
      <TenantDomainField
        {...fieldProps({
          name: 'domain',
          title: 'Domain',
          formData: values.domain,
          onChange: set('domain'),
          formContext: { formData: values },
        })}
      />
    </>
  );
}

describe('ClearmlClusterPicker and ClearmlTenantDomain', () => {
  let backend: ClustersApiDouble;
  let client: ClearmlClient;

  beforeAll(async () => {
    backend = await startClustersApiDouble();
    client = testClearmlClient(backend.baseUrl);
  });
  afterAll(() => backend.close());

  async function renderForm(initial: Record<string, unknown> = {}) {
    let latest: Record<string, unknown> = initial;
    await renderInTestApp(
      <TestApiProvider apis={[[clearmlApiRef, client]]}>
        <Form initial={initial} onValues={v => (latest = v)} />
      </TestApiProvider>,
    );
    return () => latest;
  }

  it("lists the backend's clusters with their apps domain and grant capability, and picks one by name", async () => {
    backend.answer(CLUSTERS);
    const values = await renderForm({ tenant: 'acme' });
    const select = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(select).not.toBeDisabled());
    expect(
      screen.getByRole('option', {
        name: 'ocp-prod (apps domain apps.ocp-prod.example.com; SCC grants can be applied)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', {
        name: 'ocp-lab (no apps domain configured; SCC grants by a cluster admin only)',
      }),
    ).toBeInTheDocument();
    expect(backend.requests.at(-1)).toEqual({
      path: '/api/clearml/v1/clusters',
      authorization: 'Bearer user-token',
    });

    fireEvent.change(select, { target: { value: 'ocp-prod' } });
    expect(values().cluster).toBe('ocp-prod');
  });

  it('fills the domain with clearml-<tenant>.<appsDomain> (hosts one label under the apps domain) and follows the tenant until the user types one', async () => {
    backend.answer(CLUSTERS);
    const values = await renderForm({ tenant: 'acme' });
    const select = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(select).not.toBeDisabled());
    fireEvent.change(select, { target: { value: 'ocp-prod' } });
    const domain = screen.getByLabelText(/Domain/) as HTMLInputElement;
    await waitFor(() =>
      expect(domain.value).toBe('clearml-acme.apps.ocp-prod.example.com'),
    );
    expect(values().domain).toBe('clearml-acme.apps.ocp-prod.example.com');

    fireEvent.change(screen.getByLabelText('tenant'), {
      target: { value: 'vision' },
    });
    await waitFor(() =>
      expect(domain.value).toBe('clearml-vision.apps.ocp-prod.example.com'),
    );

    fireEvent.change(domain, { target: { value: 'ml.example.org' } });
    fireEvent.change(screen.getByLabelText('tenant'), {
      target: { value: 'orbit' },
    });
    expect(domain.value).toBe('ml.example.org');
    expect(values().domain).toBe('ml.example.org');
    expect(
      screen.getByText(
        /Default would be clearml-orbit\.apps\.ocp-prod\.example\.com/,
      ),
    ).toBeInTheDocument();
  });

  it("says the default hosts are covered by the router's certificate, and that the app gateway's wildcard is not", async () => {
    backend.answer(CLUSTERS);
    await renderForm({ tenant: 'acme', appGateway: true });
    const select = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(select).not.toBeDisabled());
    fireEvent.change(select, { target: { value: 'ocp-prod' } });
    expect(
      await screen.findByText(
        /hosts clearml-acme-app\.apps\.ocp-prod\.example\.com, clearml-acme-api\.apps\.ocp-prod\.example\.com, clearml-acme-files\.apps\.ocp-prod\.example\.com are one label under apps\.ocp-prod\.example\.com, covered by the router's certificate \*\.apps\.ocp-prod\.example\.com.*app gateway's \*\.clearml-acme-appgw\.apps\.ocp-prod\.example\.com .*no router default certificate covers it/,
      ),
    ).toBeInTheDocument();
  });

  it('asks for a domain when the cluster has no apps domain, and warns that grants cannot be applied there', async () => {
    backend.answer(CLUSTERS);
    const values = await renderForm({ tenant: 'acme' });
    const select = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(select).not.toBeDisabled());
    fireEvent.change(select, { target: { value: 'ocp-lab' } });
    expect(
      await screen.findByText(/ocp-lab has no grant credential/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Cluster ocp-lab has no apps domain configured: enter the tenant's domain/,
      ),
    ).toBeInTheDocument();
    expect(values().domain).toBeUndefined();
  });

  it("shows the cluster's Kubernetes version, says when the charts refuse it, and its validation rejects that cluster", async () => {
    const refusing = {
      chart: 'clearml',
      version: '7.14.4',
      kubeVersion: '>= 1.21.0-0 < 1.33.0-0',
      accepts: false,
    };
    backend.answer([
      {
        name: 'ocp-prod',
        canGrant: true,
        kubernetesVersion: '1.32.5',
        charts: [{ ...refusing, accepts: true }],
      },
      {
        name: 'ocp-next',
        canGrant: true,
        kubernetesVersion: '1.33.1',
        charts: [refusing],
      },
    ]);
    await renderForm({ tenant: 'acme' });
    const select = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(select).not.toBeDisabled());
    expect(
      screen.getByRole('option', {
        name: 'ocp-prod (no apps domain configured; Kubernetes 1.32.5; SCC grants can be applied)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', {
        name: 'ocp-next (no apps domain configured; Kubernetes 1.33.1, refused by the charts; SCC grants can be applied)',
      }),
    ).toBeInTheDocument();
    fireEvent.change(select, { target: { value: 'ocp-next' } });
    expect(
      await screen.findByText(
        /Kubernetes 1\.33\.1 on ocp-next is refused by chart clearml 7\.14\.4 \(kubeVersion >= 1\.21\.0-0 < 1\.33\.0-0\)/,
      ),
    ).toBeInTheDocument();

    // What the scaffolder runs before the step can be submitted.
    const errors: string[] = [];
    const validate = (value: string) =>
      validateClusterCharts(
        value,
        { addError: (e: string) => errors.push(e) } as any,
        {
          apiHolder: { get: () => client } as any,
          formData: {},
          schema: {},
        },
      );
    await validate('ocp-prod');
    expect(errors).toEqual([]);
    await validate('ocp-next');
    expect(errors).toEqual([
      expect.stringMatching(
        /^Kubernetes 1\.33\.1 on ocp-next is refused by chart clearml 7\.14\.4/,
      ),
    ]);
  });

  it("shows the backend's refusal instead of an empty list", async () => {
    backend.answer({
      statusCode: 500,
      name: 'Error',
      message: 'Invalid cluster config at clearml.clusters[0].url',
    });
    await renderForm();
    expect(
      await screen.findByText(
        /Could not load the clusters from the ClearML backend: .*Invalid cluster config/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Cluster/)).toBeDisabled();
  });
});
