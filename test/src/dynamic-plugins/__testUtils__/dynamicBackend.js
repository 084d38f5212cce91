/**
 * A Backstage backend as Red Hat Developer Hub runs one: the catalog, the scaffolder, auth and the permission backend
 * with Red Hat's RBAC backend are installed statically; the ClearML packages are not — they come from
 * `dynamicPlugins.rootDirectory` through Backstage's dynamic feature loader. Started as its own Node process by the
 * dynamic-plugins test with a host folder as its working directory (scripts/dynamic-plugins/hosts.mjs): every package
 * is required from that folder's node_modules, pinned to one Developer Hub release's versions. Plain JavaScript, so
 * nothing but Node's own module loader, which the dynamic loader hooks, is involved; config comes from `--config`.
 *
 * Users sign in through a proxy provider `test` that trusts the `x-test-user` header (a stand-in for Developer Hub's
 * OIDC or OAuth2 proxy sign-in): `GET /api/auth/test/refresh` with `x-test-user: alice` answers alice's Backstage
 * token, resolved against her catalog User entity (so her groups are her ownership claims, as at a real sign-in).
 */
const path = require('path');
const { createRequire } = require('module');

const hostRequire = createRequire(path.join(process.cwd(), 'package.json'));
const { createBackend } = hostRequire('@backstage/backend-defaults');
const { dynamicPluginsFeatureLoader } = hostRequire(
  '@backstage/backend-dynamic-feature-service',
);
const { createBackendModule } = hostRequire('@backstage/backend-plugin-api');
const { authProvidersExtensionPoint, createProxyAuthProviderFactory } =
  hostRequire('@backstage/plugin-auth-node');

const testUserSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'test-user-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test',
          factory: createProxyAuthProviderFactory({
            authenticator: {
              defaultProfileTransform: async result => ({
                profile: { displayName: result.user },
              }),
              initialize: () => ({}),
              async authenticate({ req }) {
                const user = req.header('x-test-user');
                if (!user) throw new Error('no x-test-user header');
                return { result: { user } };
              },
            },
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.user } }),
          }),
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(hostRequire('@backstage/plugin-auth-backend'));
backend.add(testUserSignIn);
backend.add(hostRequire('@backstage/plugin-catalog-backend'));
backend.add(
  hostRequire(
    '@backstage/plugin-catalog-backend-module-scaffolder-entity-model',
  ),
);
backend.add(hostRequire('@backstage/plugin-scaffolder-backend'));
// The RBAC backend is the permission plugin itself up to 6.x and a module of @backstage/plugin-permission-backend
// from 7.x on (Developer Hub 1.9 adds both). The tests always run it; CLEARML_HOST_RBAC=0 (by hand, to tell a
// plugin's failure from a policy's) starts the host without it.
if (process.env.CLEARML_HOST_RBAC !== '0') {
  const rbacMajor = Number(
    hostRequire(
      '@backstage-community/plugin-rbac-backend/package.json',
    ).version.split('.')[0],
  );
  if (rbacMajor >= 7)
    backend.add(hostRequire('@backstage/plugin-permission-backend'));
  backend.add(hostRequire('@backstage-community/plugin-rbac-backend'));
}
backend.add(dynamicPluginsFeatureLoader);
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});
