import { Construct } from "constructs";
import { TerraformResource, dependable } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsEcrImage } from "@cdktf/provider-aws/lib/data-aws-ecr-image";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { FargateComputeConfig } from "../../../shared/compute-config";
import { BuiltImage } from "../../../shared/image";
import { APP_HEALTH_CHECK_PATH } from "../../../shared/app-contract";
import { jsonText } from "../../policies/json-text";
import { addEncryptedLogGroup } from "../../operations/encrypted-log-group";
import { LoadBalancer } from "../../edge/load-balancer";
import { FargateRoles } from "./iam";
import { FargateNetwork, taskSecurityGroup } from "./security-group";
import { APP_CONTAINER, appContainerDefinition, volumeName } from "./container";
import { repositoryName, taskLogGroupName } from "./policies";

/** Everything the service is built from. */
export interface FargateServiceProps {
  /** Prefix of every name, e.g. `imageshare-dev-fargate`. */
  readonly namePrefix: string;
  readonly region: string;
  /** Account of the environment (a token). */
  readonly accountId: string;
  readonly settings: FargateComputeConfig;
  readonly network: FargateNetwork;
  readonly loadBalancer: LoadBalancer;
  /** The built image (digest, user, port, writable paths, health check). */
  readonly image: BuiltImage;
  /** The app's environment variables (no secrets). */
  readonly environment: Readonly<Record<string, string>>;
  /** Retention of the app's log group. */
  readonly logRetentionDays: number;
  /** Administrator of the log group's key. @default the account root */
  readonly keyAdministratorRoleArn?: string;
}

/** Average CPU the service's target-tracking policy keeps (ECSServiceAverageCPUUtilization). */
export const TARGET_CPU_PERCENT = 60;

/**
 * The app on ECS Fargate: cluster (Container Insights), task definition (ARM64 or x86_64 runtime, the image by
 * digest, read-only root), service in the instance subnets without public IPs behind an `ip` target group and a
 * host-header rule on the shared ALB's serving listener, circuit breaker with rollback, target-tracking scaling.
 */
export class FargateService extends Construct {
  readonly roles: FargateRoles;
  readonly cluster: EcsCluster;
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly securityGroupId: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly targetGroup: LbTargetGroup;
  readonly listenerRule: LbListenerRule;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    this.roles = new FargateRoles(this, "roles", { ...props, ecsExec: props.settings.ecsExec ?? false });
    this.logGroup = this.encryptedLogGroup(props);
    this.securityGroupId = taskSecurityGroup(
      this,
      "task-sg",
      props.namePrefix,
      props.network,
      props.image.port,
      props.loadBalancer.securityGroupId,
    );
    this.cluster = new EcsCluster(this, "cluster", {
      name: props.namePrefix,
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
    this.taskDefinition = this.appTaskDefinition(props);
    [this.targetGroup, this.listenerRule] = this.albRoute(props);
    this.service = this.appService(props);
    this.scaling(props);
  }

  /** Creates the service only after these resources (endpoints, associations, rules, role policies). */
  createAfter(resources: readonly TerraformResource[]): void {
    const known = new Set(this.service.dependsOn ?? []);
    const added = resources.map((r) => dependable(r)).filter((ref) => !known.has(ref));
    this.service.dependsOn = [...known, ...added];
  }

  /** The awslogs group, encrypted with its own key that CloudWatch Logs may use for this group only. */
  private encryptedLogGroup(props: FargateServiceProps): CloudwatchLogGroup {
    return addEncryptedLogGroup(this, {
      ids: { key: "log-key", group: "log-group" },
      name: taskLogGroupName(props.namePrefix),
      keyDescription: `${props.namePrefix}: ECS task logs`,
      keyAlias: `alias/${props.namePrefix}-ecs-logs`,
      region: props.region,
      accountId: props.accountId,
      retentionDays: props.logRetentionDays,
      keyAdministratorRoleArn: props.keyAdministratorRoleArn,
    }).group;
  }

  /**
   * The task definition. The image must exist in the registry stack's repository before this is created: the
   * `aws_ecr_image` lookup fails the plan when the digest was not pushed (`make push`), so a service never starts
   * on an image it cannot pull. Old revisions stay registered (skip_destroy): the circuit breaker rolls back to one.
   */
  private appTaskDefinition(props: FargateServiceProps): EcsTaskDefinition {
    const repository = repositoryName(props.namePrefix);
    const pushed = new DataAwsEcrImage(this, "pushed-image", {
      repositoryName: repository,
      imageDigest: props.image.digest,
    });
    const container = appContainerDefinition({
      repositoryUri: `${props.accountId}.dkr.ecr.${props.region}.amazonaws.com/${repository}`,
      image: props.image,
      environment: props.environment,
      logGroupName: this.logGroup.name,
      region: props.region,
    });
    return new EcsTaskDefinition(this, "task-definition", {
      family: props.namePrefix,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.settings.cpu),
      memory: String(props.settings.memoryMiB),
      runtimePlatform: {
        cpuArchitecture: (props.settings.architecture ?? "arm64") === "arm64" ? "ARM64" : "X86_64",
        operatingSystemFamily: "LINUX",
      },
      executionRoleArn: this.roles.executionRole.arn,
      taskRoleArn: this.roles.taskRole.arn,
      // Task-local scratch volumes (Fargate task storage), one per writable path of the image.
      volume: props.image.writablePaths.map((path) => ({ name: volumeName(path) })),
      // Readable JSON in cdk.tf.json, jsonencode in the HCL export (its renderer does not escape quotes).
      containerDefinitions: jsonText([container]),
      skipDestroy: true,
      dependsOn: [pushed],
    });
  }

  /** An `ip` target group on the app port and the rule that sends the app's host name to it. */
  private albRoute(props: FargateServiceProps): [LbTargetGroup, LbListenerRule] {
    const lb = props.loadBalancer;
    const targetGroup = new LbTargetGroup(this, "target-group", {
      name: `${props.namePrefix}-tasks`.slice(0, 32),
      targetType: "ip",
      port: props.image.port,
      protocol: "HTTP",
      vpcId: props.network.vpcId,
      deregistrationDelay: "30",
      healthCheck: { path: APP_HEALTH_CHECK_PATH, matcher: "200", protocol: "HTTP", port: "traffic-port" },
    });
    const listenerRule = new LbListenerRule(this, "host-rule", {
      listenerArn: lb.httpsListenerArn ?? lb.httpListenerArn,
      priority: 100,
      // The name users reach the app by: the domain with TLS, the ALB's own DNS name without.
      condition: [{ hostHeader: { values: [lb.domainName ?? lb.dnsName] } }],
      action: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      dependsOn: lb.listeners,
    });
    return [targetGroup, listenerRule];
  }

  private appService(props: FargateServiceProps): EcsService {
    return new EcsService(this, "service", {
      name: props.namePrefix,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.settings.minTasks,
      launchType: "FARGATE",
      // LATEST is 1.4.0 on Linux: task traffic, image pulls included, goes through the task's ENI (ECS guide,
      // "Fargate platform versions"), so the endpoints above are what it reaches. checkov CKV_AWS_332 wants LATEST.
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: props.network.instanceSubnetIds,
        securityGroups: [this.securityGroupId],
        assignPublicIp: false,
      },
      loadBalancer: [
        {
          targetGroupArn: this.targetGroup.arn,
          containerName: APP_CONTAINER,
          containerPort: props.image.port,
        },
      ],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      healthCheckGracePeriodSeconds: 60,
      enableExecuteCommand: props.settings.ecsExec ?? false,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      // Apply fails when the deployment does not reach a steady state (or the circuit breaker rolls it back).
      waitForSteadyState: true,
      // Scaling owns the running count after creation.
      lifecycle: { ignoreChanges: ["desired_count"] },
      // ECS refuses a target group that no listener rule uses yet.
      dependsOn: [this.listenerRule],
    });
  }

  private scaling(props: FargateServiceProps): void {
    const target = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      scalableDimension: "ecs:service:DesiredCount",
      minCapacity: props.settings.minTasks,
      maxCapacity: props.settings.maxTasks,
    });
    new AppautoscalingPolicy(this, "cpu-target-tracking", {
      name: `${props.namePrefix}-cpu`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: TARGET_CPU_PERCENT,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
      },
    });
  }
}
