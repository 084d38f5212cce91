import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { ClearmlClient } from '../api/ClearmlClient';

/** The real client, pointed at a loopback backend double, sending a signed-in user's token. */
export function testClearmlClient(
  baseUrl: string,
  token = 'user-token',
): ClearmlClient {
  return new ClearmlClient({
    discoveryApi: mockApis.discovery({ baseUrl }),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token } }),
  });
}
