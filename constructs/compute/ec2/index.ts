/**
 * EC2 Auto Scaling as a compute of the seam (constructs/compute/seam.ts): Amazon Linux 2023 instances that install
 * the Python runtime and the release bundle at boot with no internet route (boot.sh), run the app under systemd
 * (imageshare.service), sit behind the shared ALB in an `instance` target group, and are replaced by instance
 * refreshes when the AMI or the bundle changes.
 */
import { Construct } from "constructs";
import { Ec2ComputeConfig } from "../../../shared/compute-config";
import { AppCompute, ComputeContext, ComputeEndpointNeeds, ComputeFoundation, ComputeModule } from "../seam";
import { appLogGroupName, healthyHostsAlarm } from "./alarms";
import { Ec2App } from "./ec2";
import { ec2GatewayStatements, ec2InterfaceEndpoints } from "./endpoints";

export { Ec2App } from "./ec2";

/** The EC2 module: what `stacks/compute.ts` calls for `compute.kind: "ec2"`. */
export const ec2Compute: ComputeModule<Ec2ComputeConfig> = {
  kind: "ec2",
  endpointNeeds: ec2EndpointNeeds,
  build: buildEc2,
};

/**
 * The artifacts bucket the stack names for this environment (Storage.bucketNameFor("artifacts"):
 * `PROJECT-ENV-artifacts-ACCOUNT-REGION`, and namePrefix is `PROJECT-ENV`); the stack test checks they agree.
 */
function artifactsBucketArn(context: ComputeContext<Ec2ComputeConfig>): string {
  return `arn:aws:s3:::${context.namePrefix}-artifacts-${context.accountId}-${context.region}`;
}

function ec2EndpointNeeds(context: ComputeContext<Ec2ComputeConfig>): ComputeEndpointNeeds {
  const { region, accountId, namePrefix, settings } = context;
  return {
    gatewayStatements: ec2GatewayStatements(region, accountId, artifactsBucketArn(context)),
    interfaceEndpoints: ec2InterfaceEndpoints(
      region,
      accountId,
      appLogGroupName(namePrefix),
      settings.sessionManager ?? false,
    ),
  };
}

function buildEc2(
  scope: Construct,
  id: string,
  foundation: ComputeFoundation,
  settings: Ec2ComputeConfig,
): AppCompute & { readonly ec2: Ec2App } {
  const app = new Ec2App(scope, id, foundation, settings);
  const alb = foundation.loadBalancer;
  return {
    kind: "ec2",
    ec2: app,
    appRole: app.role.role,
    roles: [app.role.role],
    securityGroupId: app.securityGroup.id,
    subnetIds: foundation.network.instanceSubnetIds,
    appLogGroupName: app.logGroup.name,
    appLogCreatedBy: [app.logGroup],
    healthAlarms: [
      healthyHostsAlarm(app.desiredInstances, {
        TargetGroup: app.targetGroup.arnSuffix,
        LoadBalancer: alb.loadBalancer.arnSuffix,
      }),
    ],
    loadBalancerAttachment: { targetGroup: app.targetGroup, listenerRule: app.listenerRule },
    outputs: {
      autoscaling_group_name: {
        value: app.instances.group.name,
        description: "The app's Auto Scaling group (instance refreshes: docs/ec2.md)",
      },
      launch_template_id: {
        value: app.instances.launchTemplate.id,
        description: "The launch template whose new versions roll out by instance refresh",
      },
      app_log_group: { value: app.logGroup.name, description: "Log group of the app (CloudWatch agent)" },
    },
    createAfter: (resources) => app.createAfter(resources),
  };
}
