import { Construct } from "constructs";
import { Annotations, TerraformLocal, TerraformOutput, TerraformStack } from "cdktf";
import { useRemoteState } from "./remote-state";
import { EnvironmentConfig, ProjectConfig, environmentWarnings } from "../config";
import { AwsContext } from "./aws-context";
import { Storage } from "../constructs/storage/storage";
import { Network } from "../constructs/network/network";
import { Endpoints } from "../constructs/network/endpoints";
import { LoadBalancer } from "../constructs/edge/load-balancer";
import { loadBalancerTls } from "./load-balancer-tls";
import { environmentBundle } from "./bundle";
import { builtImage } from "./image";
import { AppCompute, firstBootResources } from "../constructs/compute/seam";
import { EnvironmentCompute, environmentCompute } from "./compute";
import { actionsOf } from "../constructs/policies/document";
import { prefixAccessFor } from "../constructs/policies/encrypted-bucket";
import { APP_IMAGES_BUCKET_ACTIONS, APP_KEY_PREFIXES, APP_METRICS } from "../shared/app-contract";
import { NotificationTopic } from "../constructs/operations/notification-topic";
import { AppAlarms } from "../constructs/operations/app-alarms";
import { AlarmDashboard } from "../constructs/operations/alarm-dashboard";
import { CostBudget } from "../constructs/operations/cost-budget";
import { budgetLimitUsd, fixedMonthlyEstimateUsd } from "./budget-limit";

/** Name of the app stack of one environment. */
export function appStackName(env: EnvironmentConfig): string {
  return `app-${env.name}`;
}

/** One environment of the app. The only place that wires constructs together. */
export class AppStack extends TerraformStack {
  readonly aws: AwsContext;
  readonly storage: Storage;
  readonly network: Network;
  readonly endpoints: Endpoints;
  readonly loadBalancer: LoadBalancer;
  /** The app's compute, seen through the seam (constructs/compute/seam.ts). */
  readonly compute: AppCompute;
  readonly notifications: NotificationTopic;
  readonly alarms: AppAlarms;
  readonly budget: CostBudget;

  private readonly env: EnvironmentConfig;
  private readonly computeModule: EnvironmentCompute;
  /** Prefix of every resource name of the environment, e.g. `imageshare-dev`. */
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, config: ProjectConfig, env: EnvironmentConfig) {
    super(scope, id);
    this.env = env;
    this.namePrefix = `${config.project}-${env.name}`;
    this.computeModule = environmentCompute(env);
    for (const warning of environmentWarnings(env)) Annotations.of(this).addWarning(warning);
    useRemoteState(this, config, `${id}/terraform.tfstate`);
    this.aws = new AwsContext(this, "aws", {
      region: env.region,
      project: config.project,
      environment: env.name,
    });

    this.network = this.isolatedNetwork();
    this.endpoints = this.serviceEndpoints();
    this.storage = this.imageStorage(config);
    this.loadBalancer = this.publicLoadBalancer();
    this.compute = this.appCompute();
    this.connectAppToStorage();
    // Last of the app's resources, once every endpoint, association, rule and policy of the stack exists.
    this.compute.createAfter(firstBootResources(this));
    this.recordCompute();

    const budgetName = `${this.namePrefix}-monthly`;
    this.notifications = this.alarmTopic(budgetName);
    this.alarms = this.appAlarms();
    this.alarmDashboard();
    // Last: the limit is make cost's estimate of everything above.
    this.budget = new CostBudget(this, "budget", {
      name: budgetName,
      limitUsd: budgetLimitUsd(fixedMonthlyEstimateUsd(this), env.operations.budgetUsageAllowanceUsd),
      topicArn: this.notifications.topicArn,
      costAllocationTag: { key: "Environment", value: env.name },
    });
    this.outputs();
  }

  private isolatedNetwork(): Network {
    const env = this.env;
    return new Network(this, "network", {
      namePrefix: this.namePrefix,
      region: env.region,
      accountId: this.aws.accountId,
      vpcCidr: env.vpcCidr,
      azCount: env.azCount,
      allowedIngressCidrs: env.allowedIngressCidrs,
      logRetentionDays: env.logRetentionDays,
      keyAdministratorRoleArn: env.keyAdminRoleArn,
      appPort: this.computeModule.appPort,
    });
  }

  /** The endpoints the compute asks for, before anything else of it exists. */
  private serviceEndpoints(): Endpoints {
    const env = this.env;
    const needs = this.computeModule.endpointNeeds({
      region: env.region,
      accountId: this.aws.accountId,
      namePrefix: this.namePrefix,
    });
    return new Endpoints(this, "endpoints", {
      namePrefix: this.namePrefix,
      region: env.region,
      accountId: this.aws.accountId,
      vpcId: this.network.vpcId,
      instanceSubnetIds: this.network.instanceSubnetIds,
      instanceSubnetCidrs: this.network.instanceSubnetCidrs,
      instanceRouteTableIds: this.network.instanceRouteTableIds,
      placement: env.endpointPlacement,
      // What the compute needs with no internet route.
      gatewayStatements: needs.gatewayStatements,
      interfaceEndpoints: needs.interfaceEndpoints,
    });
  }

  private imageStorage(config: ProjectConfig): Storage {
    const env = this.env;
    return new Storage(this, "storage", {
      project: config.project,
      environment: env.name,
      region: env.region,
      accountId: this.aws.accountId,
      noncurrentVersionExpirationDays: env.noncurrentVersionExpirationDays,
      accessLogExpirationDays: env.accessLogExpirationDays,
      keyAdminRoleArn: env.keyAdminRoleArn,
      preventDestroy: env.deletionProtection,
    });
  }

  private publicLoadBalancer(): LoadBalancer {
    const env = this.env;
    return new LoadBalancer(this, "load-balancer", {
      namePrefix: this.namePrefix,
      vpcId: this.network.vpcId,
      publicSubnetIds: this.network.publicSubnetIds,
      allowedIngressCidrs: env.allowedIngressCidrs,
      accessLogs: {
        bucketName: this.storage.albLogBucket.bucketName,
        prefix: this.storage.albLogPrefix,
        dependsOn: [this.storage.albLogBucket.policy],
      },
      tls: loadBalancerTls(env),
      deletionProtection: env.deletionProtection,
      waf: env.waf
        ? {
            logRetentionDays: env.logRetentionDays,
            accountId: this.aws.accountId,
            region: env.region,
            keyAdministratorRoleArn: env.keyAdminRoleArn,
          }
        : undefined,
    });
  }

  /** The compute on the shared network, load balancer and storage: the seam's foundation. */
  private appCompute(): AppCompute {
    const env = this.env;
    return this.computeModule.build(this, {
      namePrefix: this.namePrefix,
      region: env.region,
      accountId: this.aws.accountId,
      network: {
        vpcId: this.network.vpcId,
        instanceSubnetIds: this.network.instanceSubnetIds,
        appPort: this.network.appPort,
        endpointSecurityGroupId: this.endpoints.endpointSecurityGroupId,
        s3PrefixListId: this.endpoints.s3PrefixListId,
      },
      loadBalancer: this.loadBalancer,
      app: {
        imagesBucketName: this.storage.imagesBucket.bucketName,
        kmsKeyArn: this.storage.dataKey.keyArn,
        uploadLimitMb: env.uploadLimitMb,
      },
      logRetentionDays: env.logRetentionDays,
      keyAdministratorRoleArn: env.keyAdminRoleArn,
      alarmThresholds: env.operations.alarmThresholds,
      artifacts: {
        bucketName: this.storage.bucketNameFor("artifacts"),
        key: this.storage.dataKey,
        accessLogs: this.storage.accessLogsFor("artifacts"),
        bundleDirectory: () => environmentBundle(env),
        image: (architecture) => builtImage(`environments.${env.name}.compute.kind`, architecture),
      },
    });
  }

  /**
   * The seam in the synthesized JSON, as the Terraform local `compute` (no resource, no state): the whole-stack
   * checks (shared/synthesized/compute.ts) find the compute through it and refuse a stack without it.
   */
  private recordCompute(): void {
    const compute = this.compute;
    new TerraformLocal(this, "compute", {
      kind: compute.kind,
      subnet_ids: [...compute.subnetIds],
      security_group_ids: [compute.securityGroupId],
      role_arns: compute.roles.map((role) => role.arn),
      app_role_arn: compute.appRole.arn,
      log_group_name: compute.appLogGroupName,
    });
  }

  /**
   * The app's S3 calls (its contract) decide the role's grant; the S3 endpoint lets through exactly what was
   * granted; the bucket refuses the role outside the endpoint; the ALB may reach the instances. The artifacts bucket
   * needs no endpoint-policy entry: EB copies the bundle into its own bucket and the instances download that copy
   * (constructs/compute/beanstalk/bundle.ts).
   */
  private connectAppToStorage(): void {
    const appRole = this.compute.appRole;
    const appGrant = this.storage.grantImageAccess(
      appRole,
      prefixAccessFor(APP_KEY_PREFIXES, APP_IMAGES_BUCKET_ACTIONS),
    );
    this.endpoints.allowBucketAccess(
      "ImagesBucket",
      this.storage.imagesBucket.bucketArn,
      actionsOf(appGrant, "s3"),
    );
    this.storage.confineTo({ roleArn: appRole.arn, s3EndpointId: this.endpoints.s3GatewayEndpointId });
    this.loadBalancer.allowForwardingTo(this.compute.securityGroupId, this.network.appPort);
  }

  private alarmTopic(budgetName: string): NotificationTopic {
    const env = this.env;
    const topic = new NotificationTopic(this, "notifications", {
      name: `${this.namePrefix}-alarms`,
      publishers: {
        accountId: this.aws.accountId,
        region: env.region,
        alarmNamePrefix: `${this.namePrefix}-`,
        budgetName,
      },
      email: env.operations.alarmEmail,
      keyAdministratorRoleArn: env.keyAdminRoleArn,
    });
    if (env.operations.alarmEmail === undefined) {
      Annotations.of(topic).addWarning(
        `environments.${env.name}.operations.alarmEmail is not set: the ${this.namePrefix} alarms and budget ` +
          `alerts reach nobody (they still change state in CloudWatch)`,
      );
    }
    return topic;
  }

  private appAlarms(): AppAlarms {
    return new AppAlarms(this, "alarms", {
      namePrefix: this.namePrefix,
      loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
      appLogGroupName: this.compute.appLogGroupName,
      healthAlarms: this.compute.healthAlarms,
      topicArn: this.notifications.topicArn,
      thresholds: this.env.operations.alarmThresholds,
      dependsOn: [...this.compute.appLogCreatedBy],
    });
  }

  private alarmDashboard(): void {
    new AlarmDashboard(this, "dashboard", {
      name: this.namePrefix,
      region: this.env.region,
      alarms: this.alarms.alarms.map((a) => ({ title: a.runbook, alarmArn: a.alarm.arn })),
      metrics: [
        {
          title: "uploads-refused (4xx, not alarmed)",
          namespace: this.alarms.appNamespace,
          metricName: APP_METRICS.uploadsRefused,
          stat: "Sum",
          period: 300,
        },
      ],
    });
  }

  private outputs(): void {
    new TerraformOutput(this, "environment_url", {
      value: this.loadBalancer.url,
      description: "Where users reach the app",
    });
    for (const [name, output] of Object.entries(this.compute.outputs))
      new TerraformOutput(this, name, output);
    new TerraformOutput(this, "images_bucket", {
      value: this.storage.imagesBucket.bucketName,
      description: "Bucket of the uploaded images and thumbnails",
    });
    new TerraformOutput(this, "alb_dns_name", {
      value: this.loadBalancer.dnsName,
      description: "DNS name of the load balancer",
    });
  }
}
