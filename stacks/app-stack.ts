import { Construct } from "constructs";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { EnvironmentConfig, ProjectConfig } from "../config";
import { AwsContext } from "./aws-context";
import { IMAGES_APP_S3_ACTIONS, Storage } from "../constructs/storage";
import { Network } from "../constructs/network";
import { Endpoints } from "../constructs/endpoints";
import { LoadBalancer, loadBalancerTls } from "../constructs/load-balancer";

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

  constructor(scope: Construct, id: string, config: ProjectConfig, env: EnvironmentConfig) {
    super(scope, id);
    const backend = new S3Backend(this, {
      bucket: config.state.bucketName,
      key: `${id}/terraform.tfstate`,
      region: config.state.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyAlias,
      dynamodbTable: config.state.lockTableName,
    });
    // Native S3 locking (Terraform >= 1.10); the DynamoDB lock stays on until every user has migrated.
    // The cdktf S3Backend type predates the option.
    backend.addOverride("use_lockfile", true);

    this.aws = new AwsContext(this, "aws", {
      region: env.region,
      project: config.project,
      environment: env.name,
    });

    const namePrefix = `${config.project}-${env.name}`;
    this.network = new Network(this, "network", {
      namePrefix,
      region: env.region,
      accountId: this.aws.accountId,
      vpcCidr: env.vpcCidr,
      azCount: env.azCount,
      allowedIngressCidrs: env.allowedIngressCidrs,
      logRetentionDays: env.logRetentionDays,
      keyAdministratorRoleArn: env.keyAdminRoleArn,
    });
    this.endpoints = new Endpoints(this, "endpoints", {
      namePrefix,
      region: env.region,
      accountId: this.aws.accountId,
      vpcId: this.network.vpcId,
      instanceSubnetIds: this.network.instanceSubnetIds,
      instanceSubnetCidrs: this.network.instanceSubnetCidrs,
      instanceRouteTableIds: this.network.instanceRouteTableIds,
      placement: env.endpointPlacement,
      sessionManager: env.sessionManager,
    });

    this.storage = new Storage(this, "storage", {
      project: config.project,
      environment: env.name,
      region: env.region,
      accountId: this.aws.accountId,
      noncurrentVersionExpirationDays: env.noncurrentVersionExpirationDays,
      accessLogExpirationDays: env.accessLogExpirationDays,
      keyAdminRoleArn: env.keyAdminRoleArn,
    });
    this.endpoints.allowBucketAccess("ImagesBucket", this.storage.imagesBucket.bucketArn, [
      ...IMAGES_APP_S3_ACTIONS,
    ]);

    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      namePrefix,
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
    new TerraformOutput(this, "alb_dns_name", {
      value: this.loadBalancer.dnsName,
      description: "DNS name of the load balancer",
    });
  }
}
