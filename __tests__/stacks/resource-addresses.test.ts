/**
 * Nothing moves for anyone who deployed (issue 19): the resource addresses (`type.name`, data sources as
 * `data.type.name`) of the state, app-dev and app-prod stacks are exactly those of the deployed stacks, captured in
 * test-support/resource-addresses.json from main before the constructs were regrouped and the compute seam cut. A
 * changed address is a replacement on `cdktf diff`: restore the construct id, or move the object with cdktf's
 * resource-move support and say why in the change.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { SynthesizedStack, synthProject } from "../../test-support/synth";

const PINNED: Record<string, string[]> = JSON.parse(
  readFileSync(join(__dirname, "..", "..", "test-support", "resource-addresses.json"), "utf8"),
);

/** Every address of a stack, sorted. */
function addressesOf(stack: SynthesizedStack): string[] {
  const of = (blocks: SynthesizedStack["resource"], prefix: string) =>
    Object.entries(blocks ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => `${prefix}${type}.${name}`),
    );
  return [...of(stack.resource, ""), ...of(stack.data, "data.")].sort();
}

const stacks = synthProject();

test("the pinned stacks are the deployed ones", () => {
  expect(Object.keys(PINNED).sort()).toEqual(["app-dev", "app-prod", "state"]);
  for (const name of Object.keys(PINNED)) expect(PINNED[name].length).toBeGreaterThan(10);
});

test.each(Object.keys(PINNED))("%s keeps every resource address", (name) => {
  expect(addressesOf(stacks[name])).toEqual(PINNED[name]);
});

test("the comparison sees a renamed construct", () => {
  const renamed = JSON.parse(JSON.stringify(stacks["app-dev"])) as SynthesizedStack;
  const groups = renamed.resource!.aws_security_group;
  const [first] = Object.keys(groups);
  groups[`${first}_moved`] = groups[first];
  delete groups[first];
  expect(addressesOf(renamed)).not.toEqual(PINNED["app-dev"]);
});
