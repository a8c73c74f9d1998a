import { Construct } from "constructs";
import { TerraformResource, dependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Ec2ComputeConfig } from "../../../shared/compute-config";
import { APP_ENVIRONMENT_VARIABLES, APP_HEALTH_CHECK_PATH } from "../../../shared/app-contract";
import { RulePeer, allowTcp } from "../../network/security-group-rules";
import { addEncryptedLogGroup } from "../../operations/encrypted-log-group";
import { ComputeFoundation, firstBootResources } from "../seam";
import { appLogGroupName } from "./alarms";
import { AppInstanceGroup } from "./group";
import { Ec2InstanceRole } from "./instance-role";
import { ReleaseBundle } from "./release-bundle";
import { launchTemplateUserData } from "./user-data";

/** Priority of the app's host-header rule on the serving listener (the only rule there besides EB's, never both). */
const LISTENER_RULE_PRIORITY = 100;

/**
 * The app on an EC2 Auto Scaling group: its log group (own key), instance role, security group, release bundle,
 * `instance` target group with a host-header rule on the shared ALB's serving listener, and the group itself.
 */
export class Ec2App extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: Ec2InstanceRole;
  readonly securityGroup: SecurityGroup;
  readonly bundle: ReleaseBundle;
  readonly targetGroup: LbTargetGroup;
  readonly listenerRule: LbListenerRule;
  readonly instances: AppInstanceGroup;
  readonly desiredInstances: number;
  private readonly createdAfter = new Set<TerraformResource>();

  constructor(scope: Construct, id: string, foundation: ComputeFoundation, settings: Ec2ComputeConfig) {
    super(scope, id);
    const prefix = foundation.namePrefix;
    this.desiredInstances = settings.desiredInstances ?? settings.minInstances;
    this.logGroup = this.appLogGroup(foundation);
    this.bundle = new ReleaseBundle(this, "bundle", {
      directory: foundation.artifacts.bundleDirectory(),
      artifactsBucketName: foundation.artifacts.bucketName,
      key: foundation.artifacts.key,
      accessLogs: foundation.artifacts.accessLogs,
    });
    this.role = new Ec2InstanceRole(this, "role", {
      namePrefix: prefix,
      region: foundation.region,
      accountId: foundation.accountId,
      artifactsBucketArn: this.bundle.artifactsBucket.bucketArn,
      artifactsKeyArn: foundation.artifacts.key.keyArn,
      logGroupName: this.logGroup.name,
      sessionManager: settings.sessionManager ?? false,
    });
    this.securityGroup = this.instanceSecurityGroup(foundation);
    this.targetGroup = this.appTargetGroup(foundation);
    this.listenerRule = this.hostHeaderRule(foundation);
    this.instances = new AppInstanceGroup(this, "instances", {
      namePrefix: prefix,
      architecture: settings.architecture,
      instanceType: settings.instanceType,
      minInstances: settings.minInstances,
      maxInstances: settings.maxInstances,
      desiredInstances: this.desiredInstances,
      detailedMonitoring: settings.detailedMonitoring,
      userData: launchTemplateUserData({
        al2023Release: settings.al2023Release,
        region: foundation.region,
        bundle: this.bundle.location,
        appPort: foundation.network.appPort,
        logGroupName: appLogGroupName(prefix),
        appEnvironment: {
          [APP_ENVIRONMENT_VARIABLES.region]: foundation.region,
          [APP_ENVIRONMENT_VARIABLES.imagesBucket]: foundation.app.imagesBucketName,
          [APP_ENVIRONMENT_VARIABLES.kmsKeyArn]: foundation.app.kmsKeyArn,
          [APP_ENVIRONMENT_VARIABLES.uploadLimitMb]: String(foundation.app.uploadLimitMb),
          // As on Beanstalk: INFO logs every request, which the failed-upload metric filter reads.
          [APP_ENVIRONMENT_VARIABLES.logLevel]: "INFO",
        },
      }),
      instanceProfileArn: this.role.instanceProfile.arn,
      securityGroupId: this.securityGroup.id,
      subnetIds: foundation.network.instanceSubnetIds,
      targetGroupArn: this.targetGroup.arn,
    });
    // The first boot needs the bundle, the log group, the listener rule's target group, and (createAfter) the
    // endpoints, routes, NACLs, rules and role policies.
    this.createAfter([this.bundle.object, this.logGroup, this.listenerRule, ...firstBootResources(this)]);
  }

  /** Creates the group (and so the first instances) only after these resources. */
  createAfter(resources: readonly TerraformResource[]): void {
    const group = this.instances.group;
    const added = resources.filter((r) => !this.createdAfter.has(r));
    added.forEach((r) => this.createdAfter.add(r));
    group.dependsOn = [...(group.dependsOn ?? []), ...added.map((r) => dependable(r))];
  }

  /** The app log's group, encrypted with its own key that CloudWatch Logs may use for this group only. */
  private appLogGroup(foundation: ComputeFoundation): CloudwatchLogGroup {
    return addEncryptedLogGroup(this, {
      ids: { key: "log-key", group: "app-log-group" },
      name: appLogGroupName(foundation.namePrefix),
      keyDescription: `${foundation.namePrefix} app log group`,
      keyAlias: `alias/${foundation.namePrefix}-app-logs`,
      region: foundation.region,
      accountId: foundation.accountId,
      retentionDays: foundation.logRetentionDays,
      keyAdministratorRoleArn: foundation.keyAdministratorRoleArn,
    }).group;
  }

  /** From the ALB on the app port in; out only to the interface endpoints and S3 (gateway) on 443. */
  private instanceSecurityGroup(foundation: ComputeFoundation): SecurityGroup {
    const group = new SecurityGroup(this, "instance-sg", {
      vpcId: foundation.network.vpcId,
      name: `${foundation.namePrefix}-app-instances`,
      description: "EC2 app instances: the app port from the ALB; HTTPS to the VPC endpoints and S3",
      // No inline rules: Terraform removes AWS's default allow-all egress, and each rule below is its own resource
      // (an inline `egress = []` would fight them on every plan).
      tags: { Name: `${foundation.namePrefix}-app-instances` },
    });
    const rule = (id: string, direction: "ingress" | "egress", port: number, peer: RulePeer, text: string) =>
      allowTcp(this, id, { securityGroupId: group.id, direction, port, peer, description: text });
    rule(
      "in-from-alb",
      "ingress",
      foundation.network.appPort,
      {
        referencedSecurityGroupId: foundation.loadBalancer.securityGroupId,
      },
      "The app port from the ALB",
    );
    rule(
      "out-to-endpoints",
      "egress",
      443,
      {
        referencedSecurityGroupId: foundation.network.endpointSecurityGroupId,
      },
      "HTTPS to the interface VPC endpoints",
    );
    rule(
      "out-to-s3",
      "egress",
      443,
      { prefixListId: foundation.network.s3PrefixListId },
      "HTTPS to S3 (gateway)",
    );
    return group;
  }

  private appTargetGroup(foundation: ComputeFoundation): LbTargetGroup {
    return new LbTargetGroup(this, "target-group", {
      name: `${foundation.namePrefix}-app`.slice(0, 32),
      port: foundation.network.appPort,
      protocol: "HTTP",
      targetType: "instance",
      vpcId: foundation.network.vpcId,
      // Long enough for an upload in flight to finish during an instance refresh.
      deregistrationDelay: "60",
      healthCheck: {
        path: APP_HEALTH_CHECK_PATH,
        matcher: "200",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
  }

  /** Requests for the app's host name on the serving listener go to the target group. */
  private hostHeaderRule(foundation: ComputeFoundation): LbListenerRule {
    const alb = foundation.loadBalancer;
    return new LbListenerRule(this, "listener-rule", {
      listenerArn: alb.httpsListenerArn ?? alb.httpListenerArn,
      priority: LISTENER_RULE_PRIORITY,
      condition: [{ hostHeader: { values: [alb.domainName ?? alb.dnsName] } }],
      action: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
  }
}
