module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // npm run export-dynamic writes the Developer Hub package (bundled dependencies) here.
  ignorePatterns: ['dist-dynamic/**'],
});
