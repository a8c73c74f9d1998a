/**
 * VPC endpoint policies for Elastic Beanstalk instances with no internet route: what EB, its agents and the platform
 * need from S3 (gateway endpoint) and from each interface endpoint. The Endpoints construct creates whatever it is
 * given; the knowledge of what EB needs is here.
 */
import { PolicyStatement } from "./document";
import { beanstalkBucketArn, logGroupArn } from "./arns";
import { cfnHupListenerStatement, waitConditionSignalStatement } from "./cloudformation";
import { LOG_STREAM_WRITE_ACTIONS } from "./logs";
import { thisAccountOnlyStatement } from "./this-account";

/** One interface endpoint: the service suffix of `com.amazonaws.REGION.X` and its policy, if the service takes one. */
export interface InterfaceEndpointSpec {
  readonly service: string;
  /** Statements of the endpoint policy; undefined when the service does not support endpoint policies. */
  readonly statements?: PolicyStatement[];
}

const BUCKET_LEVEL_ACTIONS = new Set([
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:ListBucketMultipartUploads",
]);

/**
 * Gateway-endpoint statement for one of this account's buckets: only this account's principals (the instance role).
 * Object actions go to `bucketArn/*`, `s3:ListBucket` (and other bucket-level actions) to the bucket.
 */
export function gatewayBucketStatement(
  sid: string,
  bucketArn: string,
  actions: string[],
  accountId: string,
): PolicyStatement {
  if (actions.length === 0 || actions.some((a) => !/^s3:[A-Za-z]+$/.test(a))) {
    throw new Error(
      `allowBucketAccess(${sid}): actions must be named S3 actions, got ${JSON.stringify(actions)}`,
    );
  }
  const resources = [];
  if (actions.some((a) => BUCKET_LEVEL_ACTIONS.has(a))) resources.push(bucketArn);
  if (actions.some((a) => !BUCKET_LEVEL_ACTIONS.has(a))) resources.push(`${bucketArn}/*`);
  return thisAccountOnlyStatement(sid, actions, resources, accountId);
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
  if (sessionManager) {
    // The SSM agent signs with the instance role, a principal of this account.
    for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
      specs.push({
        service,
        statements: [thisAccountOnlyStatement("ThisAccountOnly", `${service}:*`, "*", accountId)],
      });
    }
  }
  return specs;
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
    cfnHupListenerStatement(),
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
