/**
 * Size limits that keep each construct readable in one sitting (issue 14): no file in constructs/ (policies/
 * included), shared/ or test-support/ (issue 19) passes 300 lines, no function there, in stacks/, in config/ or
 * in the Python app passes 60. Functions are every function-like node with a body
 * (declarations, methods, constructors, accessors, arrows, function expressions), counted from their first token to
 * their closing brace, TSDoc excluded. A nested function counts for itself and inside its parent.
 */
import { execFileSync } from "child_process";
import { readFileSync, readdirSync } from "fs";
import { join, relative } from "path";
import * as ts from "typescript";

const root = join(__dirname, "..");
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 60;

/** Every .ts file below a folder. */
function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Lines of a source text as `wc -l` counts them (a final newline ends the last line). */
function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** `name:line (n lines)` for each function of the source longer than the limit. */
function longFunctions(fileName: string, text: string, limit: number): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push(`${fileName}:${first + 1} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * `file:function:line (n lines)` for each Python function (def line to its last line, decorators excluded) longer
 * than the limit, in the files of the globs, or in `probe` when given; Python's own parser counts (python3 -c).
 */
function longPythonFunctions(globs: readonly string[], probe?: string): string[] {
  const script = `
import ast, glob, json, sys
globs, probe, limit = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sources = [("<probe>", probe)] if probe else [(f, open(f).read()) for g in globs for f in sorted(glob.glob(g))]
out = []
for name, text in sources:
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                out.append(f"{name}:{node.name}:{node.lineno} ({lines} lines)")
print(json.dumps(out))`;
  const output = execFileSync(
    "python3",
    ["-c", script, JSON.stringify(globs), probe ?? "", String(MAX_FUNCTION_LINES)],
    { cwd: root, encoding: "utf8" },
  );
  return JSON.parse(output) as string[];
}

const sources = (folder: string) =>
  typeScriptFiles(join(root, folder)).map((path) => ({
    name: relative(root, path),
    text: readFileSync(path, "utf8"),
  }));
// constructs/, and since issue 19 the shared code of tools and stacks (shared/) and of the tests (test-support/).
const files = [...sources("constructs"), ...sources("shared"), ...sources("test-support")];
// Composition and validation read top to bottom too: their functions have the same limit.
const composition = [...sources("stacks"), ...sources("config")];

describe("size limits of constructs/, shared/ and test-support/", () => {
  test("finds the files it limits", () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "constructs/network/network.ts",
        "constructs/policies/document.ts",
        "shared/cost/estimate.ts",
        "test-support/network-graph.ts",
      ]),
    );
  });

  test(`no file passes ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .filter((f) => lineCount(f.text) > MAX_FILE_LINES)
      .map((f) => `${f.name} (${lineCount(f.text)} lines)`);
    expect(long).toEqual([]);
  });

  test(`no function passes ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap((f) => longFunctions(f.name, f.text, MAX_FUNCTION_LINES))).toEqual([]);
  });

  test(`no function in stacks/ or config/ passes ${MAX_FUNCTION_LINES} lines either`, () => {
    expect(composition.map((f) => f.name)).toEqual(
      expect.arrayContaining(["stacks/app-stack.ts", "config/validate.ts"]),
    );
    expect(composition.flatMap((f) => longFunctions(f.name, f.text, MAX_FUNCTION_LINES))).toEqual([]);
  });

  test(`no function of the app (app/*.py, app/imageshare/, app/scripts/) passes ${MAX_FUNCTION_LINES} lines`, () => {
    expect(longPythonFunctions(["app/*.py", "app/imageshare/*.py", "app/scripts/*.py"])).toEqual([]);
    // The counter sees a long one.
    const probe = `def long():\n${"    x = 1\n".repeat(MAX_FUNCTION_LINES)}`;
    expect(longPythonFunctions([], probe)).toEqual(["<probe>:long:1 (61 lines)"]);
  });

  test("the counts find injected faults: a long file, and long methods, arrows and constructors", () => {
    const body = (n: number) => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join("\n");
    expect(lineCount(`${"x\n".repeat(301)}`)).toBe(301);
    expect(lineCount("a\nb")).toBe(2);
    const source = [
      `function fits() {\n${body(60)}\n}`,
      `function tooLong() {\n${body(61)}\n}`,
      `class C {\n  constructor() {\n${body(61)}\n  }\n  m() {\n${body(61)}\n  }\n}`,
      `const arrow = () => {\n${body(61)}\n};`,
    ].join("\n");
    expect(longFunctions("probe.ts", source, MAX_FUNCTION_LINES)).toEqual([
      "probe.ts:61 (61 lines)",
      "probe.ts:123 (61 lines)",
      "probe.ts:184 (61 lines)",
      "probe.ts:246 (61 lines)",
    ]);
  });
});
