/**
 * The app's contract (app/imageshare/contract.json) is what each app stack gives the app: its environment variable
 * names and health path, a grant covering every S3 call it makes, and an S3 endpoint that lets exactly the granted
 * actions through.
 */
import { parsePolicy, resourcesOf, statementBySid, synthProject } from "../../test-support/synth";
import { appComputeOf, asList } from "../../shared/synthesized";
import { actionsOf } from "../../constructs/policies/document";
import {
  APP_ENVIRONMENT_VARIABLES,
  APP_HEALTH_CHECK_PATH,
  APP_IMAGES_BUCKET_ACTIONS,
  APP_KEY_PREFIXES,
} from "../../shared/app-contract";

const stacks = synthProject();
const appStacks = Object.keys(stacks).filter((name) => name.startsWith("app-"));

test("there are app stacks to check", () => {
  expect(appStacks.length).toBeGreaterThan(0);
});

describe.each(appStacks)("%s", (stackName) => {
  const stack = stacks[stackName];
  const compute = appComputeOf(stack);
  const grant = Object.values(resourcesOf(stack, "aws_iam_role_policy")).filter(
    (p) => p.name === "images-bucket-access",
  );
  const grantStatements = grant.flatMap((p) => parsePolicy(p.policy).Statement);

  test("sets exactly the contract's environment variables and health-check path", () => {
    expect(Object.keys(compute.appEnvironment).sort()).toEqual(
      Object.values(APP_ENVIRONMENT_VARIABLES).sort(),
    );
    expect(compute.healthCheckPath).toBe(APP_HEALTH_CHECK_PATH);
  });

  test("grants every S3 action of the app's calls, on the contract's key prefixes only", () => {
    expect(grant).toHaveLength(1);
    const granted = actionsOf(grantStatements, "s3");
    expect(APP_IMAGES_BUCKET_ACTIONS.filter((action) => !granted.includes(action))).toEqual([]);
    const objectResources = grantStatements
      .filter((s) => s.Sid !== "ListPrefixes" && asList(s.Action).some((a) => a.startsWith("s3:")))
      .flatMap((s) => asList(s.Resource));
    expect(new Set(objectResources.map((r) => r.replace(/^.*\}\//, "")))).toEqual(
      new Set(APP_KEY_PREFIXES.map((prefix) => `${prefix}*`)),
    );
  });

  test("the S3 endpoint lets through exactly the granted actions on the images bucket", () => {
    const s3Endpoint = Object.values(resourcesOf(stack, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Gateway",
    );
    expect(s3Endpoint).toHaveLength(1);
    const images = statementBySid(s3Endpoint[0].policy, "ImagesBucket");
    expect([...asList(images.Action)].sort()).toEqual(actionsOf(grantStatements, "s3").sort());
  });
});
