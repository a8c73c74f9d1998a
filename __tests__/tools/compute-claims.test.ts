import { computeClaims } from "../../tools/compute-claims";
import { summarize } from "../../tools/summary";
import { SynthesizedStack, synthProject } from "../../test-support/synth";

const stacks = synthProject();

const ec2Stack = (template: Record<string, unknown>): SynthesizedStack => ({
  locals: { compute: { kind: "ec2" } },
  resource: { aws_autoscaling_group: { group: {} }, aws_launch_template: { app: template } },
});
const GOOD_TEMPLATE = {
  metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
  network_interfaces: [{ associate_public_ip_address: "false" }],
};

const fargateStack = (service: Record<string, unknown>, containers: object[]): SynthesizedStack => ({
  locals: { compute: { kind: "fargate" } },
  resource: {
    aws_ecs_service: { app: service },
    aws_ecs_task_definition: { app: { container_definitions: JSON.stringify(containers) } },
  },
});
const GOOD_SERVICE = { network_configuration: { assign_public_ip: false, subnets: ["a"] } };
const GOOD_CONTAINER = { name: "app", readonlyRootFilesystem: true };

const outcome = (stack: SynthesizedStack) => computeClaims(stack).map((c) => [c.claim, c.ok]);

describe("the compute's own security claim, per compute kind", () => {
  test.each(["app-dev", "app-prod"])("%s (Beanstalk): no public IP, IMDSv2", (name) => {
    expect(outcome(stacks[name])).toEqual([
      ["beanstalk: instances get no public IP and require IMDSv2", true],
    ]);
  });

  test("EC2: launch templates require IMDSv2 with hop limit 1 and give no public IP", () => {
    expect(outcome(ec2Stack(GOOD_TEMPLATE))[0][1]).toBe(true);
    for (const bad of [
      { ...GOOD_TEMPLATE, metadata_options: { http_tokens: "optional", http_put_response_hop_limit: 1 } },
      { ...GOOD_TEMPLATE, metadata_options: { http_tokens: "required", http_put_response_hop_limit: 2 } },
      { ...GOOD_TEMPLATE, network_interfaces: [{ associate_public_ip_address: "true" }] },
    ]) {
      expect(outcome(ec2Stack(bad))[0][1]).toBe(false);
    }
  });

  test("Fargate: no public IP, containers unprivileged with a read-only root", () => {
    expect(outcome(fargateStack(GOOD_SERVICE, [GOOD_CONTAINER]))[0]).toEqual([
      "fargate: tasks get no public IP; containers run unprivileged with a read-only root",
      true,
    ]);
    const bad: [Record<string, unknown>, object[]][] = [
      [{ network_configuration: { assign_public_ip: true } }, [GOOD_CONTAINER]],
      [GOOD_SERVICE, [{ ...GOOD_CONTAINER, privileged: true }]],
      [GOOD_SERVICE, [{ name: "app" }]],
    ];
    for (const [service, containers] of bad)
      expect(outcome(fargateStack(service, containers))[0][1]).toBe(false);
  });

  test("a stack with no compute the summary knows fails the claim", () => {
    expect(outcome({ resource: {} })).toEqual([["the stack runs a compute the summary knows", false]]);
  });

  test("make demo's summary names each app stack's compute next to its fixed cost", () => {
    const text = summarize(Object.entries(stacks).map(([name, json]) => ({ name, json })));
    expect(text).toMatch(/^ {2}app-dev \(beanstalk\): fixed \$[\d.]+\/month/m);
    expect(text).toMatch(/^ {2}state: fixed \$[\d.]+\/month/m);
    expect(text).toContain("docs/variants.md");
  });
});
