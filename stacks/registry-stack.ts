import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { useRemoteState } from "./remote-state";
import { EnvironmentConfig, ProjectConfig } from "../config";
import { AwsContext } from "./aws-context";
import { ImageRepository } from "../constructs/compute/fargate";

/** Name of the registry stack of an environment that runs a container image (compute.kind "fargate"). */
export function registryStackName(env: EnvironmentConfig): string {
  return `registry-${env.name}`;
}

/** True for the environments whose compute runs an image from their own repository. */
export function needsRegistry(env: EnvironmentConfig): boolean {
  return env.compute.kind === "fargate";
}

/**
 * The image repository of one environment, in a stack of its own: deployed before the app stack, so that
 * `make push` can put the image there and the app stack's plan finds it (its `aws_ecr_image` lookup fails the plan
 * otherwise). Order: `cdktf deploy registry-ENV`, `make push`, `cdktf deploy app-ENV` (docs/deploy.md). State in
 * the state stack's backend under `registry-ENV/terraform.tfstate`.
 */
export class RegistryStack extends TerraformStack {
  readonly repository: ImageRepository;

  constructor(scope: Construct, id: string, config: ProjectConfig, env: EnvironmentConfig) {
    super(scope, id);
    useRemoteState(this, config, `${id}/terraform.tfstate`);
    const aws = new AwsContext(this, "aws", {
      region: env.region,
      project: config.project,
      environment: env.name,
    });
    this.repository = new ImageRepository(this, "images", {
      namePrefix: `${config.project}-${env.name}`,
      accountId: aws.accountId,
      keyAdministratorRoleArn: env.keyAdminRoleArn,
    });
    new TerraformOutput(this, "repository_url", {
      value: this.repository.repository.repositoryUrl,
      description: "Where `make push REPOSITORY=...` sends the image",
    });
  }
}
