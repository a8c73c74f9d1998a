/** Type checking is `tsc --noEmit` (make typecheck); ts-jest only transpiles (tsconfig `isolatedModules`), which keeps
 * jest fast. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  testTimeout: 60000,
};
