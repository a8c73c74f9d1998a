/** The Elastic Beanstalk roles' policies: the instance role's agent and Session Manager statements, the service role's managed policies. */
import { PolicyCondition, PolicyStatement } from "../../policies/document";
import { beanstalkBucketArn, logGroupArn } from "../../policies/arns";
import { LOG_STREAM_WRITE_ACTIONS } from "../../policies/logs";
import { sessionManagerStatements } from "../../policies/session-manager";

/**
 * The two AWS managed policies the EB guide documents for the service role ("Managing Elastic Beanstalk service
 * roles"). They stay AWS-managed on purpose: EB's service calls (health polling, launch templates after
 * DisableIMDSv1, managed platform updates through CloudFormation/Auto Scaling/ELB) change with the platform, and AWS
 * updates these policies with it; a hand-copied list would silently break managed updates when EB needs a new call.
 */
export const BEANSTALK_SERVICE_MANAGED_POLICIES: readonly string[] = [
  "arn:aws:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth",
  "arn:aws:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
];

/**
 * The condition of the service role's trust policy, as the EB guide writes it ("Managing Elastic Beanstalk service
 * roles", the trust relationship of `aws-elasticbeanstalk-service-role`,
 * https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/iam-servicerole.html): `sts:ExternalId` = `elasticbeanstalk`,
 * which EB sends when it assumes the role (the provider's own acceptance tests use the same document:
 * terraform-provider-aws, internal/service/elasticbeanstalk/application_test.go). `aws:SourceAccount` is not used:
 * EB documents no confused-deputy keys for this call, and a condition it does not satisfy would stop enhanced health
 * and managed updates. Which environments may use the role is decided by who may pass it (iam:PassRole).
 */
export const BEANSTALK_SERVICE_TRUST_CONDITION: PolicyCondition = {
  StringEquals: { "sts:ExternalId": "elasticbeanstalk" },
};

/** The environment whose instances the statements are for. */
export interface BeanstalkInstanceEnvironment {
  /** Region of the environment. */
  readonly region: string;
  /** Account that owns the environment (a token is fine). */
  readonly accountId: string;
  /** Elastic Beanstalk application name (PutInstanceStatistics ARNs). */
  readonly applicationName: string;
  /** Elastic Beanstalk environment name (PutInstanceStatistics and log-group ARNs). */
  readonly environmentName: string;
  /** Add the Session Manager agent permissions (the actions of AmazonSSMManagedInstanceCore). @default false */
  readonly sessionManager?: boolean;
}

/**
 * What EB's agents on the instance call (EB guide, "Managing Elastic Beanstalk instance profiles", and the notes):
 * eb-engine downloads the app version and manifests from `resources/environments/ENV-ID/...` of the EB bucket and
 * uploads log bundles under `resources/environments/logs/`; healthd posts PutInstanceStatistics; the CloudWatch agent
 * writes to the groups EB created under `/aws/elasticbeanstalk/ENV/` (no CreateLogGroup: EB creates the groups when
 * StreamLogs is on). cfn-init/cfn-hup authenticate as stack members and need no IAM permission.
 */
export function instanceAgentStatements(env: BeanstalkInstanceEnvironment): PolicyStatement[] {
  const ebBucketArn = beanstalkBucketArn(env.region, env.accountId);
  const ebArn = `arn:aws:elasticbeanstalk:${env.region}:${env.accountId}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadEnvironmentResourcesFromBeanstalkBucket",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${ebBucketArn}/resources/environments/*`,
    },
    {
      Sid: "ListEnvironmentResourcesInBeanstalkBucket",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: ebBucketArn,
      Condition: { StringLike: { "s3:prefix": "resources/environments/*" } },
    },
    {
      Sid: "UploadLogBundlesToBeanstalkBucket",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: `${ebBucketArn}/resources/environments/logs/*`,
    },
    {
      Sid: "ReportEnhancedHealth",
      Effect: "Allow",
      Action: "elasticbeanstalk:PutInstanceStatistics",
      Resource: [
        `${ebArn}:application/${env.applicationName}`,
        `${ebArn}:environment/${env.applicationName}/${env.environmentName}`,
      ],
    },
    {
      Sid: "StreamInstanceLogs",
      Effect: "Allow",
      Action: [...LOG_STREAM_WRITE_ACTIONS],
      // `*` after the environment's prefix covers each group and its `:log-stream:` ARNs, nothing else.
      Resource: logGroupArn(env.region, env.accountId, `/aws/elasticbeanstalk/${env.environmentName}/*`),
    },
  ];
  if (env.sessionManager) statements.push(...sessionManagerStatements(env.region, env.accountId));
  return statements;
}
