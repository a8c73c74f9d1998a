/**
 * The whole-stack checks' reader of an Elastic Beanstalk compute: the environment's option settings, checked
 * against what the seam records (its Subnets, SecurityGroups and instance profile must be the seam's).
 */
import type { ComputeFacts, ComputeReader, ComputeSeam } from "./compute-types";
import { SynthesizedStack, resourcesOf } from "./stacks";
import { parseReference, referencesIn } from "./references";
import { ebNamespace, ebSetting } from "./eb-settings";

const LAUNCH = "aws:autoscaling:launchconfiguration";
const PROCESS = "aws:elasticbeanstalk:environment:process:default";

/**
 * What EB needs with no internet route (EB guide, "Using Elastic Beanstalk with Amazon VPC", VPC endpoints):
 * its API, enhanced health, CloudFormation (cfn-init, cfn-hup), SQS (the command queue) and CloudWatch Logs.
 */
const REQUIRED_INTERFACE_SERVICES = [
  "elasticbeanstalk",
  "elasticbeanstalk-health",
  "cloudformation",
  "sqs",
  "logs",
];

/** Names of the `type` resources referenced inside one setting value. */
function named(value: string, type: string): string[] {
  return referencesIn(value)
    .filter((r) => r.type === type && !r.data)
    .map((r) => r.name);
}

function sameNames(found: string[], recorded: string[], what: string): void {
  if ([...found].sort().join() !== [...recorded].sort().join()) {
    throw new Error(
      `the environment's ${what} (${found.join(", ")}) is not the seam's (${recorded.join(", ")})`,
    );
  }
}

/** The role behind the environment's instance profile. */
function instanceRole(stack: SynthesizedStack, profileValue: string): string {
  const profile = parseReference(profileValue);
  const resource = profile && resourcesOf(stack, "aws_iam_instance_profile")[profile.name];
  const role = resource && parseReference(resource.role);
  if (!role || role.type !== "aws_iam_role")
    throw new Error(`instance profile ${profileValue} has no role of the stack`);
  return role.name;
}

function read(stack: SynthesizedStack, seam: ComputeSeam): ComputeFacts {
  const environments = Object.entries(resourcesOf(stack, "aws_elastic_beanstalk_environment"));
  if (environments.length !== 1) throw new Error(`expected one EB environment, found ${environments.length}`);
  const [name, environment] = environments[0];
  sameNames(named(ebSetting(environment, "aws:ec2:vpc", "Subnets"), "aws_subnet"), seam.subnets, "Subnets");
  sameNames(
    named(ebSetting(environment, LAUNCH, "SecurityGroups"), "aws_security_group"),
    seam.securityGroups,
    "SecurityGroups",
  );
  sameNames(
    [instanceRole(stack, ebSetting(environment, LAUNCH, "IamInstanceProfile"))],
    [seam.appRole],
    "instance role",
  );
  const singleInstance =
    ebSetting(environment, "aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced") ===
    "SingleInstance";
  return {
    runtime: [`aws_elastic_beanstalk_environment.${name}`],
    appEnvironment: ebNamespace(environment, "aws:elasticbeanstalk:application:environment"),
    healthCheckPath: ebSetting(environment, PROCESS, "HealthCheckPath"),
    // EB's defaults when unset (EB guide, "General options for all environments").
    healthCheckIntervalSeconds: Number(ebSetting(environment, PROCESS, "HealthCheckInterval", "15")),
    minimumCapacity: singleInstance
      ? 1
      : Number(ebSetting(environment, "aws:autoscaling:asg", "MinSize", "1")),
    logRetentionDays: Number(
      ebSetting(environment, "aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays", "7"),
    ),
    appPort: Number(ebSetting(environment, PROCESS, "Port", "80")),
    // https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html
    platformSecurityGroup:
      ebSetting(environment, LAUNCH, "DisableDefaultEC2SecurityGroup", "false") !== "true",
    assignsPublicIp: ebSetting(environment, "aws:ec2:vpc", "AssociatePublicIpAddress", "true") !== "false",
    requiresImdsV2: ebSetting(environment, LAUNCH, "DisableIMDSv1", "false") === "true",
    requiredInterfaceServices: REQUIRED_INTERFACE_SERVICES,
  };
}

export const beanstalkReader: ComputeReader = { read };
