const createConfig = require('@backstage/cli/config/eslint-factory');

// This package is private and never built: its code runs from source in tests and the local instance, where
// `__dirname` is the source directory (the reference data and the double's fixtures are read beside it). So the
// factory's `__dirname` restriction (about production builds of published packages) does not apply here; every
// other `no-restricted-syntax` selector the factory sets for the package role stays.
const [level, ...selectors] =
  createConfig(__dirname).rules['no-restricted-syntax'];
const withoutDirname = selectors.filter(
  s => s.selector !== 'Identifier[name="__dirname"]',
);

module.exports = createConfig(__dirname, {
  rules: {
    'no-restricted-syntax': [level, ...withoutDirname],
  },
});
