import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
      // The provider's barrel file makes tsc ~5x and jest ~8x slower: import each resource by path.
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@cdktf/provider-aws",
              message: "Import each resource by path, e.g. @cdktf/provider-aws/lib/vpc.",
            },
          ],
          patterns: [
            {
              regex: "^@cdktf/provider-aws/lib(/index)?$",
              message: "Import each resource by path, e.g. @cdktf/provider-aws/lib/vpc.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
