// Jest for the Lightning Web Components (run through sfdx-lwc-jest): only this project's LWC tests, never the
// rest of the monorepo, node_modules or the sf CLI's local state.
const { jestConfig } = require("@salesforce/sfdx-lwc-jest/config");

module.exports = {
  ...jestConfig,
  rootDir: __dirname,
  roots: ["<rootDir>/force-app"],
  testMatch: ["<rootDir>/force-app/**/lwc/**/__tests__/**/*.test.js"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/.sfdx/", "<rootDir>/.sf/"],
  modulePathIgnorePatterns: ["<rootDir>/.sfdx/", "<rootDir>/.sf/"],
};
