import { differences } from "../../tools/e2e/compare-synth";

describe("e2e compare-synth", () => {
  test("lists changed, added and removed leaves by path and ignores the tool's // metadata", () => {
    const before = {
      "//": { metadata: { version: "0.21.0" } },
      terraform: { v: "6.25.0" },
      a: [1, 2],
      gone: "x",
    };
    const after = {
      "//": { metadata: { version: "0.24.0" } },
      terraform: { v: "6.66.0" },
      a: [1, 3],
      added: true,
    };
    expect(differences(before, after)).toEqual([
      "a.1: 2 -> 3",
      "added: undefined -> true",
      'gone: "x" -> undefined',
      'terraform.v: "6.25.0" -> "6.66.0"',
    ]);
  });

  test("identical documents have no differences", () => {
    expect(differences({ x: { y: [1] } }, { x: { y: [1] } })).toEqual([]);
  });
});
