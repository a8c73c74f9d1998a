import { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { CpuArchitecture } from "../../../shared/types";

/**
 * AWS's public SSM parameter naming the newest AL2023 AMI, per architecture (AL2023 user guide, "Launching AL2023
 * using the SSM parameter": `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arm64,x86_64}`).
 */
export function al2023AmiParameter(architecture: CpuArchitecture): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export interface AppInstanceGroupProps {
  /** Prefix of the template and group names. */
  readonly namePrefix: string;
  readonly architecture: CpuArchitecture;
  readonly instanceType: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly desiredInstances: number;
  /** One-minute instance metrics. */
  readonly detailedMonitoring: boolean;
  /** The boot script, base64-encoded (user-data.ts: userDataBase64). */
  readonly userData: string;
  readonly instanceProfileArn: string;
  readonly securityGroupId: string;
  readonly subnetIds: string[];
  readonly targetGroupArn: string;
  /** Root volume size in GiB (the AL2023 AMI's is 8). @default 8 */
  readonly rootVolumeGib?: number;
  /** Seconds a new instance gets before the ELB health check counts (boot installs the runtime). @default 600 */
  readonly healthCheckGraceSeconds?: number;
  /** Average CPU the target-tracking policy keeps the group at. @default 60 */
  readonly targetCpuPercent?: number;
}

/**
 * The app's instances: a launch template on the AMI the public parameter names at plan time (a new AMI is a
 * template change in `cdktf diff`), and an Auto Scaling group that replaces its instances by an instance refresh,
 * launch before terminate, whenever the template gets a new version (new AMI, new bundle hash in the user data).
 */
export class AppInstanceGroup extends Construct {
  readonly ami: DataAwsSsmParameter;
  readonly launchTemplate: LaunchTemplate;
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: AppInstanceGroupProps) {
    super(scope, id);
    this.ami = new DataAwsSsmParameter(this, "ami", { name: al2023AmiParameter(props.architecture) });
    this.launchTemplate = this.createLaunchTemplate(props);
    this.group = this.createGroup(props);
    new AutoscalingPolicy(this, "cpu-target-tracking", {
      name: `${props.namePrefix}-cpu-target`,
      autoscalingGroupName: this.group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: props.targetCpuPercent ?? 60,
      },
    });
  }

  private createLaunchTemplate(props: AppInstanceGroupProps): LaunchTemplate {
    return new LaunchTemplate(this, "launch-template", {
      name: `${props.namePrefix}-app`,
      description: "imageshare app instances (AL2023, boot script in user data)",
      // The AMI id, not its sensitive `value`: a new AMI must show in the plan.
      imageId: this.ami.insecureValue,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      userData: props.userData,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      // IMDSv2 only; hop limit 1 keeps the credentials off anything one network hop away (EC2 user guide,
      // "Configure the instance metadata options").
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      monitoring: { enabled: props.detailedMonitoring },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          securityGroups: [props.securityGroupId],
          deleteOnTermination: "true",
        },
      ],
      blockDeviceMappings: [
        {
          // The AL2023 AMI's root device.
          deviceName: "/dev/xvda",
          ebs: {
            volumeType: "gp3",
            volumeSize: props.rootVolumeGib ?? 8,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: ["instance", "volume"].map((resourceType) => ({
        resourceType,
        tags: { Name: `${props.namePrefix}-app` },
      })),
    });
  }

  private createGroup(props: AppInstanceGroupProps): AutoscalingGroup {
    return new AutoscalingGroup(this, "group", {
      name: `${props.namePrefix}-app`,
      minSize: props.minInstances,
      maxSize: props.maxInstances,
      desiredCapacity: props.desiredInstances,
      vpcZoneIdentifier: props.subnetIds,
      healthCheckType: "ELB",
      healthCheckGracePeriod: props.healthCheckGraceSeconds ?? 600,
      targetGroupArns: [props.targetGroupArn],
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      terminationPolicies: ["OldestLaunchTemplate", "OldestInstance"],
      // A launch-template change starts a refresh (provider: instance_refresh); MaxHealthyPercentage 200 launches
      // each replacement before terminating (Auto Scaling user guide, "Instance refresh: launch before terminating").
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "120" },
      },
      tag: [{ key: "Name", value: `${props.namePrefix}-app`, propagateAtLaunch: true }],
      // Target tracking moves the desired capacity; Terraform must not move it back on every apply.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });
  }
}
