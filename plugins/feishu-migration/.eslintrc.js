module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // fast-check's fc.assert fails the test when a property does not hold.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert'] },
    ],
  },
});
