// Rules every workspace package adds to Backstage's eslint-factory.
module.exports = {
  rules: {
    // fast-check's fc.assert fails the test when a property does not hold.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'fc.assert'] },
    ],
    // openapi-fetch clients name their methods after HTTP verbs (client.GET), express has Router().
    'new-cap': ['error', { capIsNew: false }],
  },
};
