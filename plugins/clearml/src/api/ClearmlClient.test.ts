import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { brokenReport, healthyReport } from '../../dev/fixtures';
import {
  HealthApiDouble,
  startHealthApiDouble,
} from '../__testUtils__/healthApiDouble';
import { ClearmlClient } from './ClearmlClient';
import { testClearmlClient } from '../__testUtils__/testClient';

describe('ClearmlClient', () => {
  let backend: HealthApiDouble;
  let client: ClearmlClient;

  beforeAll(async () => {
    backend = await startHealthApiDouble();
    client = testClearmlClient(backend.baseUrl);
  });
  afterAll(() => backend.close());

  it("asks the clearml backend's health route for the entity, with the user's token", async () => {
    const report = brokenReport(new Date('2025-06-01T10:00:00Z'));
    backend.answer(report.entityRef, report);

    await expect(client.getTenantHealth(report.entityRef)).resolves.toEqual(
      report,
    );
    expect(backend.requests.at(-1)).toEqual({
      path: '/api/clearml/v1/health',
      entityRef: 'resource:default/vision',
      authorization: 'Bearer user-token',
    });
  });

  it('encodes the entity ref as a query value', async () => {
    const ref = 'resource:team-a/acme&more';
    await expect(client.getTenantHealth(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
    });
    expect(backend.requests.at(-1)?.entityRef).toBe(ref);
  });

  it.each([
    [400, 'InputError', "Invalid entityRef 'not a ref'", 'not a ref'],
    [
      404,
      'NotFoundError',
      'Entity resource:default/ghost not found',
      'resource:default/ghost',
    ],
  ])(
    'turns a %i into a ResponseError carrying the backend message',
    async (status, name, message, ref) => {
      const error = await client.getTenantHealth(ref).catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause).toMatchObject({ name, message });
    },
  );

  it('passes on a 422 for an entity that lacks the annotations', async () => {
    const ref = 'resource:default/half-annotated';
    backend.answer(ref, {
      statusCode: 422,
      name: 'InputError',
      message: 'Entity lacks annotation clear.ml/release',
    });
    const error = await client.getTenantHealth(ref).catch(e => e);
    expect(error.statusCode).toBe(422);
    expect(error.cause.message).toBe(
      'Entity lacks annotation clear.ml/release',
    );
  });

  it('gets a 401 when the app sends no Backstage token', async () => {
    const anonymous = new ClearmlClient({
      discoveryApi: mockApis.discovery({ baseUrl: backend.baseUrl }),
      fetchApi: new MockFetchApi(),
    });
    const report = healthyReport();
    backend.answer(report.entityRef, report);
    const error = await anonymous
      .getTenantHealth(report.entityRef)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(401);
    expect(error.cause.name).toBe('AuthenticationError');
  });
});
