import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The provider's barrel file makes tsc ~5x and jest ~8x slower: import each resource by path.
const PROVIDER_BARREL = "Import each resource by path, e.g. @cdktf/provider-aws/lib/vpc.";

/**
 * Folder boundaries (layering: config -> stacks -> constructs -> constructs/policies; shared/ is neutral): each
 * folder lists the project folders it must not import, at any depth of relative path.
 */
const FORBIDDEN_FOLDERS = {
  "constructs/**/*.ts": ["config", "stacks", "tools", "test-support", "main"],
  "stacks/**/*.ts": ["tools", "test-support"],
  "tools/**/*.ts": ["test-support"],
  "config/**/*.ts": ["stacks", "constructs", "tools", "test-support", "main"],
  "shared/**/*.ts": ["config", "stacks", "constructs", "tools", "test-support", "main"],
};

/** no-restricted-imports for one folder; a later config object replaces the rule, so each carries the provider ban. */
function restrictedImports(folders = []) {
  return [
    "error",
    {
      paths: [{ name: "@cdktf/provider-aws", message: PROVIDER_BARREL }],
      patterns: [
        { regex: "^@cdktf/provider-aws/lib(/index)?$", message: PROVIDER_BARREL },
        ...folders.map((folder) => ({
          regex: `^(\\.\\./)+${folder}(/|$)`,
          message: `This folder must not import ${folder}/ (folder boundaries in eslint.config.mjs).`,
        })),
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      "app/",
      "coverage/",
      "bench/",
      "**/*.d.ts",
      "**/.venv*/",
      ".e2e/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": restrictedImports(),
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...Object.entries(FORBIDDEN_FOLDERS).map(([files, folders]) => ({
    files: [files],
    rules: { "no-restricted-imports": restrictedImports(folders) },
  })),
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
