/**
 * The whole-stack checks find the compute through the seam (shared/synthesized/compute.ts) and fail closed: a stack
 * whose compute no check knows, or one whose code runs beside the seam, fails every check instead of passing it
 * by being invisible. Each check below is the function the real suites, `make cost`, `make summary` and
 * `make checkov` run.
 */
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { synthProject, SynthesizedStack } from "../../test-support/synth";
import { appComputeOf, computeOf, instanceSubnetNames, refOf } from "../../shared/synthesized";
import { estimateStack } from "../../shared/cost/estimate";
import { securityClaims } from "../../tools/security-summary";
import { judge } from "../../tools/checkov/gate";
import { appTopology } from "../../test-support/app-topology";
import { beanstalkStack } from "../../test-support/compute-stack";

const stacks = synthProject();
const appDev = stacks["app-dev"];

/** The e2e's own reader (tools/e2e/compute.py, run before any deploy) on one stack; throws with its message. */
function e2eCompute(stack: SynthesizedStack): string {
  const out = mkdtempSync(join(tmpdir(), "e2e-compute-"));
  mkdirSync(join(out, "stacks", "app-x"), { recursive: true });
  writeFileSync(join(out, "stacks", "app-x", "cdk.tf.json"), JSON.stringify(stack));
  try {
    return execFileSync("python3", ["tools/e2e/compute.py", "--out", out, "--stack", "app-x"], {
      cwd: join(__dirname, "..", ".."),
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    throw new Error(String((error as { stderr?: string }).stderr));
  }
}

/** Every whole-stack check that must find the compute, as a function of one app stack. */
const CHECKS: Record<string, (stack: SynthesizedStack) => unknown> = {
  "routes (instance subnets)": instanceSubnetNames,
  "reachability (topology)": appTopology,
  "policy evaluation, network invariants, app contract (appComputeOf)": appComputeOf,
  "cost estimate": (stack) => estimateStack({ name: "app-x", json: stack }),
  "security summary": securityClaims,
  "checkov gate": (stack) => judge([], { accepted: [] }, [{ name: "app-x", json: stack }]),
};

test("the e2e finds the compute through the seam, and stops on an unknown kind or a stack without the local", () => {
  expect(e2eCompute(appDev)).toMatch(/^app-x: beanstalk compute, app role aws_iam_role\./);
  const unknown = changed((stack) => {
    localOf(stack).kind = "kubernetes";
  });
  expect(() => e2eCompute(unknown)).toThrow(/compute kind 'kubernetes' is unknown to the e2e/);
  expect(() => e2eCompute(changed((stack) => delete stack.locals))).toThrow(/records no `compute` local/);
});

function changed(change: (stack: SynthesizedStack) => void): SynthesizedStack {
  const stack = structuredClone(appDev);
  change(stack);
  return stack;
}

/** The local as the stack records it. */
const localOf = (stack: SynthesizedStack) => stack.locals!.compute as Record<string, unknown>;

test("the checks see the real stacks' compute: Beanstalk in the instance subnets, and no compute in the state stack", () => {
  for (const name of ["app-dev", "app-prod"]) {
    const compute = appComputeOf(stacks[name]);
    expect(compute.kind).toBe("beanstalk");
    expect(compute.runtime).toEqual([expect.stringMatching(/^aws_elastic_beanstalk_environment\./)]);
    expect(compute.subnets.length).toBeGreaterThanOrEqual(2);
    for (const check of Object.values(CHECKS)) expect(() => check(stacks[name])).not.toThrow();
  }
  expect(computeOf(stacks.state)).toBeUndefined();
  expect(computeOf(beanstalkStack())?.kind).toBe("beanstalk");
});

describe.each<[string, (stack: SynthesizedStack) => void, RegExp]>([
  [
    "a compute the checks do not know (kind kubernetes, an EKS cluster)",
    (stack) => {
      localOf(stack).kind = "kubernetes";
      stack.resource!.aws_eks_cluster = { app: { name: "app", vpc_config: [{ subnet_ids: [] }] } };
    },
    /compute kind "kubernetes" is unknown to the whole-stack checks/,
  ],
  [
    "the seam bypassed: no compute local",
    (stack) => delete stack.locals,
    /app stack without the Terraform local `compute`/,
  ],
  [
    "the seam bypassed: a service running beside the recorded compute",
    (stack) => {
      stack.resource!.aws_ecs_service = { sideline: { name: "sideline", launch_type: "FARGATE" } };
    },
    /code runs outside the recorded beanstalk compute.*aws_ecs_service\.sideline/,
  ],
  [
    "the seam bypassed: the environment runs in subnets the local does not record",
    (stack) => {
      const publicSubnets = Object.keys(stack.resource!.aws_subnet).filter((name) => name.includes("public"));
      const environment = Object.values(stack.resource!.aws_elastic_beanstalk_environment)[0];
      const subnets = (environment.setting as { name: string; value: string }[]).find(
        (s) => s.name === "Subnets",
      )!;
      subnets.value = publicSubnets.map((name) => refOf("aws_subnet", name, "id")).join(",");
    },
    /the environment's Subnets .* is not the seam's/,
  ],
  [
    "a local that points nowhere",
    (stack) => {
      localOf(stack).subnet_ids = ["subnet-0123456789abcdef0"];
    },
    /subnet_ids "subnet-0123456789abcdef0" is not a aws_subnet of the stack/,
  ],
])("%s", (_name, change, error) => {
  const stack = changed(change);
  test.each(Object.keys(CHECKS))("fails %s", (check) => {
    expect(() => CHECKS[check](stack)).toThrow(error);
  });
});
