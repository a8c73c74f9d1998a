/**
 * Elastic Beanstalk as a compute of the seam (constructs/compute/seam.ts): the endpoints EB needs with no internet
 * route, and the environment built on the stack's foundation. The environment is created directly in the stack's
 * scope under the id it is given, so its resource addresses are those it had before the seam existed.
 */
import { Construct } from "constructs";
import { BeanstalkComputeConfig, PLATFORM_BRANCHES } from "../../../shared/compute-config";
import { AppCompute, ComputeContext, ComputeEndpointNeeds, ComputeFoundation, ComputeModule } from "../seam";
import { Beanstalk } from "./beanstalk";
import { appLogGroupName, beanstalkHealthAlarms, INSTANCES_OK_METRIC } from "./alarms";
import { beanstalkGatewayStatements, beanstalkInterfaceEndpoints } from "./endpoints";

export { Beanstalk } from "./beanstalk";

/** The Beanstalk module: what `stacks/compute.ts` calls for `compute.kind: "beanstalk"`. */
export const beanstalkCompute: ComputeModule<BeanstalkComputeConfig> = {
  kind: "beanstalk",
  endpointNeeds: beanstalkEndpointNeeds,
  build: buildBeanstalk,
};

/** What EB, its agents and the platform need from the S3 gateway and the interface endpoints. */
function beanstalkEndpointNeeds(context: ComputeContext<BeanstalkComputeConfig>): ComputeEndpointNeeds {
  const { region, accountId, settings } = context;
  return {
    gatewayStatements: beanstalkGatewayStatements(region, accountId),
    interfaceEndpoints: beanstalkInterfaceEndpoints(region, accountId, settings.sessionManager),
  };
}

/** The environment, and what the stack needs of it. */
function buildBeanstalk(
  scope: Construct,
  id: string,
  foundation: ComputeFoundation,
  settings: BeanstalkComputeConfig,
): AppCompute & { readonly beanstalk: Beanstalk } {
  const beanstalk = new Beanstalk(scope, id, {
    name: foundation.namePrefix,
    region: foundation.region,
    accountId: foundation.accountId,
    solutionStackNameRegex: PLATFORM_BRANCHES[settings.platformBranch],
    instanceType: settings.instanceType,
    architecture: settings.architecture,
    minInstances: settings.minInstances,
    maxInstances: settings.maxInstances,
    logRetentionDays: foundation.logRetentionDays,
    sessionManager: settings.sessionManager,
    healthMetrics: [INSTANCES_OK_METRIC],
    network: foundation.network,
    loadBalancer: foundation.loadBalancer,
    app: foundation.app,
    bundle: {
      directory: foundation.artifacts.bundleDirectory(),
      artifactsBucketName: foundation.artifacts.bucketName,
      kmsKeyArn: foundation.artifacts.kmsKeyArn,
      accessLogs: foundation.artifacts.accessLogs,
    },
  });
  // The environment's name attribute (not the literal): alarms and the log group follow the environment.
  const environmentName = beanstalk.environment.name;
  return {
    kind: "beanstalk",
    beanstalk,
    appRole: beanstalk.instanceRole,
    roles: [beanstalk.roles.instanceRole, beanstalk.roles.serviceRole],
    securityGroupId: beanstalk.instanceSecurityGroupId,
    subnetIds: foundation.network.instanceSubnetIds,
    appLogGroupName: appLogGroupName(environmentName),
    // EB creates the log group with the environment.
    appLogCreatedBy: [beanstalk.environment],
    healthAlarms: beanstalkHealthAlarms(environmentName, settings.minInstances, foundation.alarmThresholds),
    loadBalancerAttachment: "managed-by-platform",
    outputs: {
      environment_cname: {
        value: beanstalk.cname,
        description: "The Elastic Beanstalk environment's CNAME (routed by EB's own listener rule)",
      },
    },
    createAfter: (resources) => beanstalk.createAfter(resources),
  };
}
