/**
 * ECS on Fargate as a compute of the seam (constructs/compute/seam.ts): the endpoints Fargate tasks need with no
 * internet route, and the service built on the stack's foundation. The image comes from the registry stack's
 * repository (stacks/registry-stack.ts), pushed there by `make push` before the app stack is deployed.
 */
import { Construct } from "constructs";
import { FargateComputeConfig } from "../../../shared/compute-config";
import { APP_ENVIRONMENT_VARIABLES } from "../../../shared/app-contract";
import { AppCompute, ComputeContext, ComputeEndpointNeeds, ComputeFoundation, ComputeModule } from "../seam";
import { FargateService } from "./service";
import { fargateHealthAlarms } from "./alarms";
import { fargateGatewayStatements, fargateInterfaceEndpoints } from "./endpoints";

export { FargateService } from "./service";
export { ImageRepository } from "./repository";
export { repositoryName } from "./policies";

/** The port the image's server listens on (app/image/build.py PORT); synthesis checks the built image says so. */
export const FARGATE_APP_PORT = 8000;

/** The Fargate module: what `stacks/compute.ts` calls for `compute.kind: "fargate"`. */
export const fargateCompute: ComputeModule<FargateComputeConfig> = {
  kind: "fargate",
  appPort: FARGATE_APP_PORT,
  endpointNeeds: fargateEndpointNeeds,
  build: buildFargate,
};

/** ecr.api, ecr.dkr, logs (+ ssmmessages with ECS Exec) and ECR's layer bucket through the S3 gateway. */
function fargateEndpointNeeds(context: ComputeContext<FargateComputeConfig>): ComputeEndpointNeeds {
  const { region, accountId, namePrefix, settings } = context;
  return {
    gatewayStatements: fargateGatewayStatements(region),
    interfaceEndpoints: fargateInterfaceEndpoints({
      region,
      accountId,
      namePrefix,
      ecsExec: settings.ecsExec,
    }),
  };
}

/** The service, and what the stack needs of it. */
function buildFargate(
  scope: Construct,
  id: string,
  foundation: ComputeFoundation,
  settings: FargateComputeConfig,
): AppCompute & { readonly fargate: FargateService } {
  if (!foundation.artifacts.image) throw new Error("the Fargate compute needs foundation.artifacts.image");
  const image = foundation.artifacts.image(settings.architecture ?? "arm64");
  if (image.port !== foundation.network.appPort) {
    throw new Error(
      `the image listens on ${image.port}, the network opens ${foundation.network.appPort} (FARGATE_APP_PORT)`,
    );
  }
  const names = APP_ENVIRONMENT_VARIABLES;
  const fargate = new FargateService(scope, id, {
    namePrefix: foundation.namePrefix,
    region: foundation.region,
    accountId: foundation.accountId,
    settings,
    network: foundation.network,
    loadBalancer: foundation.loadBalancer,
    image,
    environment: {
      [names.imagesBucket]: foundation.app.imagesBucketName,
      [names.kmsKeyArn]: foundation.app.kmsKeyArn,
      [names.region]: foundation.region,
      [names.uploadLimitMb]: String(foundation.app.uploadLimitMb),
      [names.logLevel]: "INFO",
    },
    logRetentionDays: foundation.logRetentionDays,
    keyAdministratorRoleArn: foundation.keyAdministratorRoleArn,
  });
  return {
    kind: "fargate",
    fargate,
    appRole: fargate.roles.taskRole,
    roles: [fargate.roles.executionRole, fargate.roles.taskRole],
    securityGroupId: fargate.securityGroupId,
    subnetIds: foundation.network.instanceSubnetIds,
    appLogGroupName: fargate.logGroup.name,
    appLogCreatedBy: [fargate.logGroup],
    healthAlarms: fargateHealthAlarms(fargate.cluster.name, fargate.service.name),
    loadBalancerAttachment: { targetGroup: fargate.targetGroup, listenerRule: fargate.listenerRule },
    outputs: {
      ecs_cluster: { value: fargate.cluster.name, description: "The ECS cluster running the app's service" },
      ecs_service: { value: fargate.service.name, description: "The ECS service of the app" },
      task_definition: {
        value: fargate.taskDefinition.arn,
        description: "The task definition revision deployed",
      },
    },
    createAfter: (resources) => fargate.createAfter(resources),
  };
}
