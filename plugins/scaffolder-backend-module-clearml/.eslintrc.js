module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // npm run export-dynamic writes the Developer Hub package (bundled dependencies) here.
  ignorePatterns: ['dist-dynamic/**'],
  rules: {
    // The render actions' tests share their refusal assertions in workspace.expectRefused.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'workspace.expectRefused'] },
    ],
  },
});
