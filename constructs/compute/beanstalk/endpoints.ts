/**
 * What Elastic Beanstalk instances with no internet route need from the VPC endpoints: the S3 gateway endpoint's
 * statements and each interface endpoint with its policy (EB, its agents, the platform and the CloudFormation helper
 * scripts, aws-cfn-bootstrap). A policy module: the stack asks for these before it builds the Endpoints construct.
 */
import { PolicyStatement } from "../../policies/document";
import { beanstalkBucketArn, logGroupArn } from "../../policies/arns";
import { LOG_STREAM_WRITE_ACTIONS } from "../../policies/logs";
import { thisAccountOnlyStatement } from "../../policies/this-account";
import { InterfaceEndpointSpec, gatewayBucketStatement } from "../../policies/vpc-endpoints";
import { sessionManagerEndpoints } from "../../policies/session-manager";

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
 * So they get a statement of their own on `*`, bound to this account's principals as far as a request has one:
 * `aws:PrincipalAccount` must be this account whenever the request carries a principal (`StringEqualsIfExists`).
 * Another account's credentials, the way to move data out through our endpoint, are refused (the policy-evaluation
 * test asks with a foreign principal). cfn-hup signs these calls with the instance identity document (CFN-V1 auth,
 * cfnbootstrap's CFNSigner when no credentials are configured, as on EB), not with IAM credentials, and AWS
 * documents no principal for such a request; a plain `StringEquals` would then fail and every EB command would hang
 * until its 600 s timeout. CloudFormation answers a CFN-V1 call only for the stack its instance belongs to.
 */
export function cfnHupListenerStatement(accountId: string): PolicyStatement {
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
    Condition: { StringEqualsIfExists: { "aws:PrincipalAccount": accountId } },
  };
}

/**
 * What Elastic Beanstalk and the platform need from S3 (EB guide, "Using endpoint policies to control access
 * with VPC endpoints"). AWS-owned buckets carry no principal condition: dnf reads the AL2023 repos anonymously and
 * CloudFormation presigns its wait-condition URLs itself, so the caller is not a principal of this account; naming
 * the exact buckets (and, for wait conditions, this account's stack keys) is what narrows those statements.
 */
export function beanstalkGatewayStatements(region: string, accountId: string): PolicyStatement[] {
  const objects = (bucket: string) => `arn:aws:s3:::${bucket}/*`;
  return [
    {
      Sid: "ElasticBeanstalkPlatformAssets",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: [
        objects(`elasticbeanstalk-platform-assets-${region}`),
        objects(`elasticbeanstalk-env-resources-${region}`),
        objects(`elasticbeanstalk-${region}`),
        objects(`elasticbeanstalk-samples-${region}`),
      ],
    },
    {
      Sid: "AmazonLinux2023Repositories",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: objects(`al2023-repos-${region}-de612dc2`),
    },
    // No cloudformation-custom-resource-response bucket: custom-resource responses are PUT by the resource's
    // provider (a Lambda function or an SNS subscriber), and nothing on these instances provides one.
    waitConditionSignalStatement(region, accountId),
    // Application versions, environment manifests and bundled logs.
    gatewayBucketStatement(
      "EnvironmentBucket",
      beanstalkBucketArn(region, accountId),
      ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      accountId,
    ),
  ];
}

/**
 * The interface endpoints Elastic Beanstalk needs with no internet route, and their policies; with
 * `sessionManager`, also ssm, ssmmessages and ec2messages. Which statements can name this account's principals
 * depends on how each client authenticates (see the comments).
 */
export function beanstalkInterfaceEndpoints(
  region: string,
  accountId: string,
  sessionManager: boolean,
): InterfaceEndpointSpec[] {
  const specs: InterfaceEndpointSpec[] = [
    {
      // EB's service API; the EB guide requires this endpoint for environments without internet access.
      service: "elasticbeanstalk",
      statements: [
        thisAccountOnlyStatement(
          "ThisAccountOnly",
          "elasticbeanstalk:*",
          [
            `arn:aws:elasticbeanstalk:${region}:${accountId}:*`,
            // Platforms and solution stacks are AWS-owned, account-less ARNs.
            `arn:aws:elasticbeanstalk:${region}::*`,
          ],
          accountId,
        ),
      ],
    },
    // healthd -> PutInstanceStatistics. The service does not support endpoint policies: the security group and
    // the instance role's narrow permission are the controls.
    { service: "elasticbeanstalk-health" },
    { service: "cloudformation", statements: cloudFormationEndpointStatements(region, accountId) },
    { service: "sqs", statements: [commandQueueStatement(region)] },
    {
      // CloudWatch agent streaming instance and health logs (StreamLogs, HealthStreamingEnabled).
      service: "logs",
      statements: [
        thisAccountOnlyStatement(
          "ElasticBeanstalkLogGroupsOfThisAccount",
          [...LOG_STREAM_WRITE_ACTIONS],
          logGroupArn(region, accountId, "/aws/elasticbeanstalk/*"),
          accountId,
        ),
      ],
    },
  ];
  return sessionManager ? [...specs, ...sessionManagerEndpoints(accountId)] : specs;
}

/**
 * cfn-init / cfn-get-metadata / cfn-hup / cfn-signal. They authenticate with the instance identity document
 * (CFN-V1 auth), not with IAM credentials of this account, so no principal condition can apply; the resource
 * narrows to this account's EB stacks, the actions to reading metadata and signalling.
 */
function cloudFormationEndpointStatements(region: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "ElasticBeanstalkStacksOfThisAccount",
      Effect: "Allow",
      Principal: "*",
      Action: [
        "cloudformation:DescribeStackResource",
        "cloudformation:DescribeStackResources",
        "cloudformation:DescribeStacks",
        "cloudformation:SignalResource",
      ],
      Resource: `arn:aws:cloudformation:${region}:${accountId}:stack/awseb-*/*`,
    },
    cfnHupListenerStatement(accountId),
  ];
}

/**
 * cfn-hup receives EB commands from, and posts results to, queues owned by AWS service accounts, with credentials
 * issued by CloudFormation for those accounts. Neither the principal nor the queue belongs to this account, so
 * neither can be pinned; the region and the message actions are the narrowing.
 */
function commandQueueStatement(region: string): PolicyStatement {
  return {
    Sid: "CommandQueueMessaging",
    Effect: "Allow",
    Principal: "*",
    Action: [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:SendMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueUrl",
      "sqs:GetQueueAttributes",
    ],
    Resource: `arn:aws:sqs:${region}:*:*`,
  };
}
