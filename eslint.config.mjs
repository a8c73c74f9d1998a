import { readdirSync } from "fs";
import { URL } from "url";
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

/** One no-restricted-imports pattern per folder: a relative path into `folder`, at any depth. */
function folderPatterns(
  folders,
  message = (folder) => `This folder must not import ${folder}/ (folder boundaries in eslint.config.mjs).`,
) {
  return folders.map((folder) => ({ regex: `^(\\.\\./)+${folder}(/|$)`, message: message(folder) }));
}

/** The computes: the kinds of shared/compute-config.ts, and any folder under constructs/compute/ as it lands. */
const COMPUTE_KINDS = [
  ...new Set([
    "beanstalk",
    "fargate",
    "ec2",
    ...readdirSync(new URL("./constructs/compute", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name),
  ]),
];

/** A compute folder never imports another: what two computes share belongs to the seam or to constructs/. */
function otherComputePatterns(kind) {
  const others = COMPUTE_KINDS.filter((other) => other !== kind);
  return others.length === 0
    ? []
    : [
        {
          regex: `^(\\.\\./)+(constructs/)?(compute/)?(${others.join("|")})(/|$)`,
          message: `constructs/compute/${kind}/ must not import another compute's folder (eslint.config.mjs).`,
        },
      ];
}

/**
 * Policy modules (constructs/policies/, constructs/compute/<kind>/policies.ts and endpoints.ts) hold plain
 * statements: they import other policy modules and shared/ only, never a construct, the constructs library or a
 * provider resource. `allowed` are the relative paths (regular expressions) a module may import.
 */
function policyModulePatterns(allowed) {
  const message =
    "A policy module imports only policy modules and shared/, never a construct (eslint.config.mjs).";
  return [
    { regex: `^(?!${[...allowed, "(\\.\\./)+shared(/|$)"].join("|")})\\.\\.?/`, message },
    { regex: "^constructs$", message },
    { regex: "^@cdktf/provider-aws/", message },
  ];
}
const POLICY_FOLDER = ["\\./"];
const COMPUTE_POLICY_MODULE = ["\\./(policies|endpoints)$", "\\.\\./\\.\\./policies/"];

// main.ts builds the stacks from the configuration; it never reaches past them.
const MAIN_MESSAGE = "main.ts imports config/ and stacks/ only (eslint.config.mjs).";
const MAIN_PATTERNS = ["constructs", "shared", "tools", "test-support"].map((folder) => ({
  regex: `^\\./${folder}(/|$)`,
  message: MAIN_MESSAGE,
}));

/** no-restricted-imports with extra patterns; a later config object replaces the rule, so each carries the provider ban. */
function restrictedImports(patterns = []) {
  return [
    "error",
    {
      paths: [{ name: "@cdktf/provider-aws", message: PROVIDER_BARREL }],
      patterns: [{ regex: "^@cdktf/provider-aws/lib(/index)?$", message: PROVIDER_BARREL }, ...patterns],
    },
  ];
}

/** One config object per set of files, most specific last (each carries every pattern that applies to its files). */
const constructs = folderPatterns(FORBIDDEN_FOLDERS["constructs/**/*.ts"]);
const BOUNDARIES = [
  ...Object.entries(FORBIDDEN_FOLDERS).map(([files, folders]) => [[files], folderPatterns(folders)]),
  [["constructs/policies/**/*.ts"], [...constructs, ...policyModulePatterns(POLICY_FOLDER)]],
  ...COMPUTE_KINDS.flatMap((kind) => [
    [[`constructs/compute/${kind}/**/*.ts`], [...constructs, ...otherComputePatterns(kind)]],
    [
      [`constructs/compute/${kind}/policies.ts`, `constructs/compute/${kind}/endpoints.ts`],
      [...constructs, ...otherComputePatterns(kind), ...policyModulePatterns(COMPUTE_POLICY_MODULE)],
    ],
  ]),
  [["main.ts"], MAIN_PATTERNS],
];

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
      ".e2e-ec2boot/",
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
  ...BOUNDARIES.map(([files, patterns]) => ({
    files,
    rules: { "no-restricted-imports": restrictedImports(patterns) },
  })),
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
