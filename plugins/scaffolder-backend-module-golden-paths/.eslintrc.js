const config = require('@backstage/cli/config/eslint-factory')(
  __dirname,
  require('../../.eslintrc.shared.js'),
);

// The generated projects' tests (yarn test:golden-paths) are tests too, kept out of the unit run by name.
const testOverride = config.overrides.find(o =>
  o.files.includes('**/*.test.*'),
);
config.overrides.push({ ...testOverride, files: ['src/**/*.projects.ts'] });

module.exports = config;
