import { inClusterServerUrls } from './serviceUrls';

describe('inClusterServerUrls', () => {
  it('names each Service by namespace-qualified DNS on its Service port', () => {
    expect(inClusterServerUrls('oss', 'clearml', 'clearml-acme')).toEqual({
      apiserver: 'http://clearml-apiserver.clearml-acme.svc:8008',
      fileserver: 'http://clearml-fileserver.clearml-acme.svc:8081',
      // The Service port, not the webserver's container port 80.
      webserver: 'http://clearml-webserver.clearml-acme.svc:8080',
    });
  });

  it('follows the release and edition', () => {
    expect(inClusterServerUrls('oss', 'acme', 'ml').apiserver).toBe(
      'http://acme-clearml-apiserver.ml.svc:8008',
    );
    expect(inClusterServerUrls('enterprise', 'clearml', 'ml').webserver).toBe(
      'http://clearml-clearml-enterprise-webserver.ml.svc:8080',
    );
  });
});
