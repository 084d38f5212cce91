/**
 * A Backstage backend as Red Hat Developer Hub runs one: the scaffolder is installed statically, the ClearML
 * packages are not — they come from `dynamicPlugins.rootDirectory` through Backstage's dynamic feature loader.
 * Started as its own Node process by the dynamic-plugins test (plain JavaScript, so nothing but Node's own module
 * loader, which the dynamic loader hooks, is involved); config comes from the `--config` files it is given.
 */
const { createBackend } = require('@backstage/backend-defaults');
const {
  dynamicPluginsFeatureLoader,
} = require('@backstage/backend-dynamic-feature-service');
const scaffolderPlugin = require('@backstage/plugin-scaffolder-backend');

const backend = createBackend();
backend.add(scaffolderPlugin);
backend.add(dynamicPluginsFeatureLoader);
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});
