import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { PolicyStatement, policyJson, serviceTrustPolicy } from "./policies/document";

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

export interface BeanstalkRolesProps {
  /** Prefix for role and profile names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** Region of the environment (ARNs are built for it). */
  readonly region: string;
  /** Account that owns the environment (a token is fine). */
  readonly accountId: string;
  /** Elastic Beanstalk application name (for PutInstanceStatistics ARNs). */
  readonly applicationName: string;
  /** Elastic Beanstalk environment name (for PutInstanceStatistics and log-group ARNs). */
  readonly environmentName: string;
  /** Add the Session Manager agent permissions (the actions of AmazonSSMManagedInstanceCore). @default false */
  readonly sessionManager?: boolean;
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
      assumeRolePolicy: serviceTrustPolicy("elasticbeanstalk.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": props.accountId },
      }),
    });
    BEANSTALK_SERVICE_MANAGED_POLICIES.forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `service-managed-policy-${i}`, {
        role: this.serviceRole.name,
        policyArn,
      });
    });
  }
}

/**
 * What EB's agents on the instance call (EB guide, "Managing Elastic Beanstalk instance profiles", and the notes):
 * eb-engine downloads the app version and manifests from `resources/environments/ENV-ID/...` of the EB bucket and
 * uploads log bundles under `resources/environments/logs/`; healthd posts PutInstanceStatistics; the CloudWatch agent
 * writes to the groups EB created under `/aws/elasticbeanstalk/ENV/` (no CreateLogGroup: EB creates the groups when
 * StreamLogs is on). cfn-init/cfn-hup authenticate as stack members and need no IAM permission.
 */
function instanceAgentStatements(props: BeanstalkRolesProps): PolicyStatement[] {
  const ebBucketArn = `arn:aws:s3:::elasticbeanstalk-${props.region}-${props.accountId}`;
  const ebArn = `arn:aws:elasticbeanstalk:${props.region}:${props.accountId}`;
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
        `${ebArn}:application/${props.applicationName}`,
        `${ebArn}:environment/${props.applicationName}/${props.environmentName}`,
      ],
    },
    {
      Sid: "StreamInstanceLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      // `*` after the environment's prefix covers each group and its `:log-stream:` ARNs, nothing else.
      Resource: `arn:aws:logs:${props.region}:${props.accountId}:log-group:/aws/elasticbeanstalk/${props.environmentName}/*`,
    },
  ];
  if (props.sessionManager) statements.push(...sessionManagerStatements(props));
  return statements;
}

/**
 * The actions of AmazonSSMManagedInstanceCore, written out. Instance registration and parameter reads are narrowed;
 * the association, message and channel APIs take no resource type (Service Authorization Reference), so they stay
 * on "*" — none of them reads data the app owns.
 */
function sessionManagerStatements(props: BeanstalkRolesProps): PolicyStatement[] {
  return [
    {
      Sid: "SessionManagerRegisterInstance",
      Effect: "Allow",
      Action: "ssm:UpdateInstanceInformation",
      Resource: `arn:aws:ec2:${props.region}:${props.accountId}:instance/*`,
    },
    {
      // The managed policy allows every parameter; the agent's documents only read AWS public parameters.
      Sid: "SessionManagerReadPublicParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: `arn:aws:ssm:${props.region}::parameter/aws/*`,
    },
    {
      Sid: "SessionManagerAgent",
      Effect: "Allow",
      Action: [
        "ssm:DescribeAssociation",
        "ssm:GetDeployablePatchSnapshotForInstance",
        "ssm:GetDocument",
        "ssm:DescribeDocument",
        "ssm:GetManifest",
        "ssm:ListAssociations",
        "ssm:ListInstanceAssociations",
        "ssm:PutInventory",
        "ssm:PutComplianceItems",
        "ssm:PutConfigurePackageResult",
        "ssm:UpdateAssociationStatus",
        "ssm:UpdateInstanceAssociationStatus",
      ],
      Resource: "*",
    },
    {
      Sid: "SessionManagerChannels",
      Effect: "Allow",
      Action: [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "ec2messages:AcknowledgeMessage",
        "ec2messages:DeleteMessage",
        "ec2messages:FailMessage",
        "ec2messages:GetEndpoint",
        "ec2messages:GetMessages",
        "ec2messages:SendReply",
      ],
      Resource: "*",
    },
  ];
}
