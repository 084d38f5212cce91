const createConfig = require('@backstage/cli/config/eslint-factory');

// This package is private and never built: its code runs from source in tests and the local demo, where `__dirname`
// is the source directory. So the factory's `__dirname` restriction (about production builds of published packages)
// does not apply here; every other `no-restricted-syntax` selector the factory sets for the package role stays.
const [level, ...selectors] =
  createConfig(__dirname).rules['no-restricted-syntax'];
const withoutDirname = selectors.filter(
  s => s.selector !== 'Identifier[name="__dirname"]',
);

module.exports = createConfig(__dirname, {
  rules: {
    'no-restricted-syntax': [level, ...withoutDirname],
    // `rbacIt` (dynamic-plugins tests) is `it`, or `it.skip` on a host without the RBAC backend.
    'jest/no-standalone-expect': [
      'error',
      { additionalTestBlockFunctions: ['rbacIt'] },
    ],
  },
});
