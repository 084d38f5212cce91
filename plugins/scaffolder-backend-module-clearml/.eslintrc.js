module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // The render actions' tests share their refusal assertions in workspace.expectRefused.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'workspace.expectRefused'] },
    ],
  },
});
