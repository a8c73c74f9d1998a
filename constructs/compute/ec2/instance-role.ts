import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { policyJson, serviceTrustPolicy } from "../../policies/document";
import { sessionManagerStatements } from "../../policies/session-manager";
import { Ec2InstanceScope, instanceStatements } from "./policies";

export interface Ec2InstanceRoleProps extends Ec2InstanceScope {
  /** Prefix of the role and profile names, e.g. `imageshare-dev-ec2`. */
  readonly namePrefix: string;
  /** Add the Session Manager agent's permissions. @default false */
  readonly sessionManager?: boolean;
}

/**
 * The instances' role and instance profile: reading the release bundle and writing the app log (policies.ts), and
 * Session Manager's agent only when asked for. The app's own S3/KMS grant is attached by the stack (storage), so
 * this construct never names the images bucket.
 */
export class Ec2InstanceRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: Ec2InstanceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "instance-role", {
      name: `${props.namePrefix}-instance`,
      description: "EC2 app instances: the release bundle, the app log and the app's own S3 calls",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    const statements = instanceStatements(props);
    if (props.sessionManager) statements.push(...sessionManagerStatements(props.region, props.accountId));
    this.policy = new IamRolePolicy(this, "instance-policy", {
      name: "bundle-and-logs",
      role: this.role.id,
      policy: policyJson(statements),
    });
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", {
      name: `${props.namePrefix}-instance`,
      role: this.role.name,
    });
  }
}
