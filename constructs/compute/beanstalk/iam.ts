import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { policyJson, serviceTrustPolicy } from "../../policies/document";
import {
  BEANSTALK_SERVICE_MANAGED_POLICIES,
  BeanstalkInstanceEnvironment,
  instanceAgentStatements,
} from "./policies";
import { onBehalfOfAccount } from "../../policies/this-account";

/** The environment the roles serve (its ARNs narrow the instance role) and how to name them. */
export interface BeanstalkRolesProps extends BeanstalkInstanceEnvironment {
  /** Prefix for role and profile names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
}

/**
 * The instance role (+ instance profile) with only what EB's own agents need, and the EB service role. The app's
 * own S3/KMS grant is attached from outside (storage), so this construct never names the images bucket.
 */
export class BeanstalkRoles extends Construct {
  readonly instanceRole: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly serviceRole: IamRole;

  constructor(scope: Construct, id: string, props: BeanstalkRolesProps) {
    super(scope, id);

    this.instanceRole = new IamRole(this, "instance-role", {
      name: `${props.namePrefix}-eb-instance`,
      description: "Elastic Beanstalk instances: EB agents and the app",
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
    });
    new IamRolePolicy(this, "instance-agents", {
      name: "beanstalk-agents",
      role: this.instanceRole.id,
      policy: policyJson(instanceAgentStatements(props)),
    });
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", {
      name: `${props.namePrefix}-eb-instance`,
      role: this.instanceRole.name,
    });

    this.serviceRole = new IamRole(this, "service-role", {
      name: `${props.namePrefix}-eb-service`,
      description: "Elastic Beanstalk service: enhanced health and managed platform updates",
      // Confused-deputy guard: EB may assume this role only on behalf of this account.
      assumeRolePolicy: serviceTrustPolicy(
        "elasticbeanstalk.amazonaws.com",
        onBehalfOfAccount(props.accountId),
      ),
    });
    BEANSTALK_SERVICE_MANAGED_POLICIES.forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `service-managed-policy-${i}`, {
        role: this.serviceRole.name,
        policyArn,
      });
    });
  }
}
