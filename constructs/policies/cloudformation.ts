/** VPC-endpoint statements for the CloudFormation helper scripts on Elastic Beanstalk instances (aws-cfn-bootstrap). */
import { PolicyStatement } from "./document";

/**
 * S3 gateway endpoint: cfn-signal may PUT wait-condition signals for this account's Elastic Beanstalk stacks only.
 *
 * cfn-signal sends one HTTP PUT to the wait-condition handle URL (aws-cfn-bootstrap, bin/cfn-signal), a URL that
 * CloudFormation presigns in `cloudformation-waitcondition-REGION` whose object key is the stack ARN followed by the
 * handle's logical id: `arn:aws:cloudformation:REGION:ACCOUNT:stack/STACK-NAME/STACK-ID/HANDLE` (URL-encoded in the
 * URL; "Create wait conditions in a CloudFormation template",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-waitcondition.html; an EB instance's user
 * data passes `.../arn%3Aaws%3Acloudformation%3AREGION%3AACCOUNT%3Astack/awseb-e-…-stack/…/AWSEBInstanceLaunchWaitHandle`).
 * The signer is CloudFormation, not a principal of this account, so the key is the only narrowing there is: without
 * it, a compromised instance could PUT data to a wait-condition URL presigned in another account's stack.
 */
export function waitConditionSignalStatement(region: string, accountId: string): PolicyStatement {
  return {
    Sid: "CloudFormationWaitConditionSignals",
    Effect: "Allow",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: `arn:aws:s3:::cloudformation-waitcondition-${region}/arn:aws:cloudformation:${region}:${accountId}:stack/awseb-*`,
  };
}

/**
 * CloudFormation interface endpoint: cfn-hup's command-listener calls (aws-cfn-bootstrap, cfnbootstrap/cfn_client.py:
 * RegisterListener returns the command queue URL, GetListenerCredentials the credentials to read it,
 * ElectCommandLeader picks the one instance that runs a leader-only command; each sends StackName).
 *
 * None of the three is in the Service Authorization Reference, so which resource AWS authorizes them against (the
 * stack ARN, or none at all, as for actions without a resource type) is not documented. A statement naming the stack
 * ARN would not match if AWS evaluates them against `*`, and EB commands would then hang until their 600 s timeout.
 * So they get a statement of their own on `*`: the callers authenticate with the instance identity document (CFN-V1
 * auth), and CloudFormation answers only for the stack that instance belongs to.
 */
export function cfnHupListenerStatement(): PolicyStatement {
  return {
    Sid: "CfnHupCommandListener",
    Effect: "Allow",
    Principal: "*",
    Action: [
      "cloudformation:RegisterListener",
      "cloudformation:GetListenerCredentials",
      "cloudformation:ElectCommandLeader",
    ],
    Resource: "*",
  };
}
