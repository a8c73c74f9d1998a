/**
 * The `make demo` security claims that depend on the compute: every compute's hosts or tasks get no public IP and
 * cannot be turned into something else through the instance metadata service or a privileged container. One check
 * per compute kind (shared/cost/compare.ts `computeKindOf` tells them apart); an unknown kind fails the claim.
 */
import type { SecurityClaim } from "./security-summary";
import { Resource, SynthesizedStack, asList, ebNamespace, resourcesOf } from "../shared/synthesized";
import { computeKindOf } from "../shared/cost/compare";

const all = (stack: SynthesizedStack, type: string) => Object.values(resourcesOf(stack, type));
const isFalse = (v: unknown) => v === false || v === "false";

function beanstalk(stack: SynthesizedStack): SecurityClaim {
  const environments = all(stack, "aws_elastic_beanstalk_environment");
  return {
    claim: "instances get no public IP and require IMDSv2",
    ok:
      environments.length > 0 &&
      environments.every(
        (env) =>
          ebNamespace(env, "aws:ec2:vpc").AssociatePublicIpAddress === "false" &&
          ebNamespace(env, "aws:autoscaling:launchconfiguration").DisableIMDSv1 === "true",
      ),
    detail: `${environments.length} Elastic Beanstalk environment(s)`,
  };
}

/** Launch templates: IMDSv2 required with hop limit 1; network interfaces without a public IP. */
function ec2(stack: SynthesizedStack): SecurityClaim {
  const templates = all(stack, "aws_launch_template");
  const good = (t: Resource) => {
    const metadata = asList(t.metadata_options as Resource | Resource[])[0] ?? {};
    const interfaces = asList(t.network_interfaces as Resource | Resource[]);
    return (
      metadata.http_tokens === "required" &&
      Number(metadata.http_put_response_hop_limit) === 1 &&
      interfaces.every((i) => isFalse(i.associate_public_ip_address))
    );
  };
  return {
    claim: "instances get no public IP and require IMDSv2 (hop limit 1)",
    ok: templates.length > 0 && templates.every(good),
    detail: `${templates.length} launch template(s)`,
  };
}

interface ContainerDefinition {
  readonly privileged?: boolean;
  readonly readonlyRootFilesystem?: boolean;
}

/** ECS services without a public IP; containers read-only and unprivileged. */
function fargate(stack: SynthesizedStack): SecurityClaim {
  const services = all(stack, "aws_ecs_service");
  const containers = all(stack, "aws_ecs_task_definition").flatMap((t) =>
    typeof t.container_definitions === "string"
      ? (JSON.parse(t.container_definitions) as ContainerDefinition[])
      : [],
  );
  const noPublicIp = services.every((s) =>
    asList(s.network_configuration as Resource | Resource[]).every((n) => n.assign_public_ip !== true),
  );
  const locked = containers.every((c) => c.privileged !== true && c.readonlyRootFilesystem === true);
  return {
    claim: "tasks get no public IP; containers run unprivileged with a read-only root",
    ok: services.length > 0 && containers.length > 0 && noPublicIp && locked,
    detail: `${services.length} service(s), ${containers.length} container(s)`,
  };
}

const BY_KIND: Readonly<Record<string, (stack: SynthesizedStack) => SecurityClaim>> = {
  beanstalk,
  ec2,
  fargate,
};

/** The compute's own claims for an app stack. */
export function computeClaims(stack: SynthesizedStack): SecurityClaim[] {
  const kind = computeKindOf({ name: "app", json: stack });
  const check = kind === null ? undefined : BY_KIND[kind];
  if (!check)
    return [{ claim: "the stack runs a compute the summary knows", ok: false, detail: String(kind) }];
  const result = check(stack);
  return [{ ...result, claim: `${kind}: ${result.claim}` }];
}
