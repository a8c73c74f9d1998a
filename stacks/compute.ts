/**
 * The one switch on `compute.kind`: which compute module (constructs/compute/<kind>/) runs an environment's app.
 * Everything else speaks the seam (constructs/compute/seam.ts) and never asks which kind it holds.
 */
import { Construct } from "constructs";
import { ConfigError, EnvironmentConfig } from "../config";
import {
  AppCompute,
  ComputeContext,
  ComputeEndpointNeeds,
  ComputeFoundation,
  ComputeModule,
} from "../constructs/compute/seam";
import { beanstalkCompute } from "../constructs/compute/beanstalk";
import { fargateCompute } from "../constructs/compute/fargate";
import { ec2Compute } from "../constructs/compute/ec2";

/** A compute module with the environment's settings bound: what the app stack calls. */
export interface EnvironmentCompute {
  readonly kind: string;
  /** Port the app listens on for the ALB (the module's, else 80). */
  readonly appPort: number;
  endpointNeeds(context: Omit<ComputeContext<unknown>, "settings">): ComputeEndpointNeeds;
  /** Builds the compute in `scope` under the id `kind` (Beanstalk's addresses have always been `beanstalk`). */
  build(scope: Construct, foundation: ComputeFoundation): AppCompute;
}

/** The compute of one environment; a kind without a module fails synthesis naming the setting. */
export function environmentCompute(env: EnvironmentConfig): EnvironmentCompute {
  const compute = env.compute;
  switch (compute.kind) {
    case "beanstalk":
      return bind(beanstalkCompute, compute);
    case "fargate":
      return bind(fargateCompute, compute);
    case "ec2":
      return bind(ec2Compute, compute);
    default:
      throw new ConfigError([
        `environments.${env.name}.compute.kind: ${JSON.stringify((compute as { kind: unknown }).kind)} has no ` +
          `compute module (stacks/compute.ts)`,
      ]);
  }
}

function bind<Settings>(module: ComputeModule<Settings>, settings: Settings): EnvironmentCompute {
  return {
    kind: module.kind,
    appPort: module.appPort ?? 80,
    endpointNeeds: (context) => module.endpointNeeds({ ...context, settings }),
    build: (scope, foundation) => module.build(scope, module.kind, foundation, settings),
  };
}
