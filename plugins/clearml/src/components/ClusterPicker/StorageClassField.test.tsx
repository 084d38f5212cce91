import { useState } from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ClusterSummary } from '@clearml-openshift/plugin-clearml-common';
import { clearmlApiRef, ClearmlClient } from '../../api';
import { ClustersApiDouble, startClustersApiDouble } from './clustersApiDouble';
import { ClusterPicker } from './ClusterPicker';
import { StorageClassField, validateStorageClass } from './StorageClassField';
import { testClearmlClient } from '../../__testUtils__/testClient';

const GP3 = {
  name: 'gp3-csi',
  provisioner: 'ebs.csi.aws.com',
  default: true,
  volumeBindingMode: 'WaitForFirstConsumer',
};
const CEPH = {
  name: 'ocs-storagecluster-ceph-rbd',
  provisioner: 'openshift-storage.rbd.csi.ceph.com',
  default: false,
};
const CLUSTERS: ClusterSummary[] = [
  {
    name: 'ocp-prod',
    canGrant: true,
    storageClasses: [CEPH, GP3],
    images: { registry: 'mirror.example.com/clearml', pullSecret: 'pull' },
  },
  { name: 'ocp-lab', canGrant: false, storageClasses: [CEPH] },
];

function fieldProps(overrides: Record<string, unknown>): any {
  return {
    schema: { type: 'string', title: overrides.title ?? 'Field' },
    uiSchema: {},
    idSchema: { $id: `root_${overrides.name}` },
    rawErrors: [],
    required: false,
    ...overrides,
  };
}

function Form(props: { onValues: (v: Record<string, unknown>) => void }) {
  const [values, setValues] = useState<Record<string, unknown>>({});
  const set = (key: string) => (value: unknown) =>
    setValues(current => {
      const next = { ...current, [key]: value };
      props.onValues(next);
      return next;
    });
  return (
    <>
      <ClusterPicker
        {...fieldProps({
          name: 'cluster',
          title: 'Cluster',
          formData: values.cluster,
          onChange: set('cluster'),
        })}
      />
      <StorageClassField
        {...fieldProps({
          name: 'storageClassName',
          title: 'StorageClass',
          formData: values.storageClassName,
          onChange: set('storageClassName'),
          formContext: { formData: values },
        })}
      />
    </>
  );
}

describe('ClearmlStorageClass', () => {
  let backend: ClustersApiDouble;
  let client: ClearmlClient;

  beforeAll(async () => {
    backend = await startClustersApiDouble();
    client = testClearmlClient(backend.baseUrl);
  });
  afterAll(() => backend.close());

  async function renderForm() {
    let latest: Record<string, unknown> = {};
    await renderInTestApp(
      <TestApiProvider apis={[[clearmlApiRef, client]]}>
        <Form onValues={v => (latest = v)} />
      </TestApiProvider>,
    );
    const cluster = await screen.findByLabelText(/Cluster/);
    await waitFor(() => expect(cluster).not.toBeDisabled());
    return { values: () => latest, cluster };
  }

  it("lists the picked cluster's classes, marks and preselects the default, says where images come from, and keeps a class the user picks", async () => {
    backend.answer(CLUSTERS);
    const { values, cluster } = await renderForm();
    expect(screen.getByText('Choose a cluster first.')).toBeInTheDocument();
    fireEvent.change(cluster, { target: { value: 'ocp-prod' } });
    await waitFor(() => expect(values().storageClassName).toBe('gp3-csi'));
    expect(
      screen.getByRole('option', {
        name: 'gp3-csi (ebs.csi.aws.com, default)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Images are pulled through the mirror mirror.example.com/clearml with the pull secret pull.',
      ),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/StorageClass/), {
      target: { value: 'ocs-storagecluster-ceph-rbd' },
    });
    expect(values().storageClassName).toBe('ocs-storagecluster-ceph-rbd');
  });

  it('says when the cluster has no default class, and its validation refuses a class the cluster lacks', async () => {
    backend.answer(CLUSTERS);
    const { cluster } = await renderForm();
    fireEvent.change(cluster, { target: { value: 'ocp-lab' } });
    expect(
      await screen.findByText(
        'ocp-lab has no default StorageClass: choose one, or its claims stay Pending.',
      ),
    ).toBeInTheDocument();

    const errors: string[] = [];
    const context: any = {
      apiHolder: { get: () => client },
      formData: { cluster: 'ocp-lab' },
    };
    await validateStorageClass(
      'gp3-csi',
      { addError: (e: string) => errors.push(e) } as any,
      context,
    );
    await validateStorageClass(
      'ocs-storagecluster-ceph-rbd',
      { addError: (e: string) => errors.push(e) } as any,
      context,
    );
    expect(errors).toEqual([
      'ocp-lab has no StorageClass gp3-csi: its claims would stay Pending.',
    ]);
  });
});
