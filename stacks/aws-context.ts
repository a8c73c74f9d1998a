import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";

export interface AwsContextProps {
  readonly region: string;
  readonly project: string;
  readonly environment: string;
}

/** The AWS provider with the project's default tags, and the account id read at plan time (none is configured). */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: AwsContextProps) {
    super(scope, id);
    new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: [{ tags: { Project: props.project, Environment: props.environment, ManagedBy: "cdktf" } }],
    });
    this.accountId = new DataAwsCallerIdentity(this, "current").accountId;
    this.region = props.region;
  }
}
