/**
 * The smallest synthesized app stack the whole-stack checks accept: an Elastic Beanstalk environment recorded by
 * the seam's `compute` local (shared/synthesized/compute.ts), with the subnets, security group, role and instance
 * profile the local and the environment's settings point to. Tests add what they check to it.
 */
import { SynthesizedStack, refOf } from "../shared/synthesized";

export interface EbOption {
  readonly namespace: string;
  readonly name: string;
  readonly value: string;
}

export const ebOption = (namespace: string, name: string, value: string): EbOption => ({
  namespace,
  name,
  value,
});

/** An app stack in eu-west-1 whose one compute is an EB environment with these extra settings. */
export function beanstalkStack(settings: readonly EbOption[] = []): SynthesizedStack {
  const subnets = ["instance-a", "instance-b"];
  const subnetIds = subnets.map((name) => refOf("aws_subnet", name, "id"));
  const group = refOf("aws_security_group", "instances", "id");
  return {
    provider: { aws: [{ region: "eu-west-1" }] },
    locals: {
      compute: {
        kind: "beanstalk",
        subnet_ids: subnetIds,
        security_group_ids: [group],
        role_arns: [refOf("aws_iam_role", "instance", "arn")],
        app_role_arn: refOf("aws_iam_role", "instance", "arn"),
        log_group_name: "/aws/elasticbeanstalk/env/var/log/web.stdout.log",
      },
    },
    resource: {
      aws_subnet: Object.fromEntries(subnets.map((name) => [name, { tags: { Tier: "instance" } }])),
      aws_security_group: { instances: {} },
      aws_iam_role: { instance: {} },
      aws_iam_instance_profile: { instance: { role: refOf("aws_iam_role", "instance", "name") } },
      aws_elastic_beanstalk_environment: {
        env: {
          setting: [
            ebOption(
              "aws:ec2:vpc",
              "Subnets",
              `\${join(",", [${subnetIds.map((id) => id.slice(2, -1)).join(", ")}])}`,
            ),
            ebOption("aws:autoscaling:launchconfiguration", "SecurityGroups", group),
            ebOption(
              "aws:autoscaling:launchconfiguration",
              "IamInstanceProfile",
              refOf("aws_iam_instance_profile", "instance", "name"),
            ),
            ebOption("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", "/healthz"),
            ...settings,
          ],
        },
      },
    },
  };
}
