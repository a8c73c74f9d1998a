/**
 * The whole-stack checks' reader of an EC2 compute (constructs/compute/ec2/): the Auto Scaling group, its launch
 * template and target group, and the boot script's environment, checked against what the seam records (the group's
 * subnets, the template's security groups and the role behind its instance profile must be the seam's).
 */
import type { ComputeFacts, ComputeReader, ComputeSeam } from "./compute-types";
import { Resource, SynthesizedStack, asList, resourcesOf } from "./stacks";
import { parseReference } from "./references";
import { bootScriptOf, heredoc } from "./user-data";

/** The CloudWatch agent ships the app log through `logs`; nothing else on the instance needs an interface endpoint. */
const REQUIRED_INTERFACE_SERVICES = ["logs"];

/** The `type` resource a `${type.name.attr}` value points to, with its name; throws when it is not one. */
function target(stack: SynthesizedStack, value: unknown, type: string, what: string): [string, Resource] {
  const ref = parseReference(value);
  const resource = ref && !ref.data && ref.type === type ? resourcesOf(stack, type)[ref.name] : undefined;
  if (!ref || !resource)
    throw new Error(`the EC2 compute's ${what} ${JSON.stringify(value)} is not a ${type}`);
  return [ref.name, resource];
}

function names(stack: SynthesizedStack, values: unknown, type: string, what: string): string[] {
  return asList(values as string[] | undefined).map((v) => target(stack, v, type, what)[0]);
}

function sameNames(found: string[], recorded: readonly string[], what: string): void {
  if ([...found].sort().join() !== [...recorded].sort().join()) {
    throw new Error(
      `the EC2 compute's ${what} (${found.join(", ")}) is not the seam's (${recorded.join(", ")})`,
    );
  }
}

/** The one Auto Scaling group and the launch template it launches from. */
function groupAndTemplate(stack: SynthesizedStack): [string, Resource, string, Resource] {
  const groups = Object.entries(resourcesOf(stack, "aws_autoscaling_group"));
  if (groups.length !== 1) throw new Error(`expected one Auto Scaling group, found ${groups.length}`);
  const [groupName, group] = groups[0];
  const spec = (Array.isArray(group.launch_template) ? group.launch_template[0] : group.launch_template) as
    Record<string, unknown> | undefined;
  const [templateName, template] = target(stack, spec?.id, "aws_launch_template", "launch_template.id");
  return [groupName, group, templateName, template];
}

/** The app's environment as the boot script writes it into the unit's EnvironmentFile. */
function appEnvironment(template: Resource): Record<string, string> {
  const lines = heredoc(bootScriptOf(template.user_data), "APP_ENV");
  return Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

function read(stack: SynthesizedStack, seam: ComputeSeam): ComputeFacts {
  const [groupName, group, templateName, template] = groupAndTemplate(stack);
  sameNames(names(stack, group.vpc_zone_identifier, "aws_subnet", "subnets"), seam.subnets, "subnets");
  const nics = (template.network_interfaces ?? []) as Record<string, unknown>[];
  const groups = nics.flatMap((nic) =>
    names(stack, nic.security_groups, "aws_security_group", "security groups"),
  );
  sameNames(
    [...groups, ...names(stack, template.vpc_security_group_ids, "aws_security_group", "groups")],
    seam.securityGroups,
    "security groups",
  );
  const profileArn = (template.iam_instance_profile as Record<string, unknown> | undefined)?.arn;
  const [, profile] = target(stack, profileArn, "aws_iam_instance_profile", "instance profile");
  sameNames(
    [target(stack, profile.role, "aws_iam_role", "instance role")[0]],
    [seam.appRole],
    "instance role",
  );
  const targetGroups = asList(group.target_group_arns as string[] | undefined);
  if (targetGroups.length !== 1) throw new Error(`expected one target group, found ${targetGroups.length}`);
  const [, targetGroup] = target(stack, targetGroups[0], "aws_lb_target_group", "target group");
  const healthCheck = (targetGroup.health_check ?? {}) as Record<string, unknown>;
  const [, logGroup] = target(stack, seam.logGroupName, "aws_cloudwatch_log_group", "log group");
  const metadata = (template.metadata_options ?? {}) as Record<string, unknown>;
  return {
    runtime: [`aws_autoscaling_group.${groupName}`, `aws_launch_template.${templateName}`],
    appEnvironment: appEnvironment(template),
    healthCheckPath: String(healthCheck.path ?? "/"),
    // ELB's default interval for a target group (ELB guide, "Health checks for your target groups").
    healthCheckIntervalSeconds: Number(healthCheck.interval ?? 30),
    minimumCapacity: Number(group.min_size),
    logRetentionDays: Number(logGroup.retention_in_days ?? 0),
    appPort: Number(targetGroup.port),
    platformSecurityGroup: false,
    assignsPublicIp:
      template.network_interfaces === undefined ||
      nics.some((nic) => nic.associate_public_ip_address !== "false"),
    requiresImdsV2: metadata.http_tokens === "required",
    requiredInterfaceServices: REQUIRED_INTERFACE_SERVICES,
  };
}

export const ec2Reader: ComputeReader = { read };
