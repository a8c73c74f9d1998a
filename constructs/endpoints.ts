import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { EndpointPlacement } from "../shared/types";
import { PolicyStatement, policyJson } from "./policies/document";
import { cfnHupListenerStatement, waitConditionSignalStatement } from "./policies/cloudformation";

/** One interface endpoint: the service suffix of `com.amazonaws.REGION.X` and its policy, if the service takes one. */
interface InterfaceEndpointSpec {
  readonly service: string;
  /** Statements of the endpoint policy; undefined when the service does not support endpoint policies. */
  readonly statements?: PolicyStatement[];
}

export interface EndpointsProps {
  /** Prefix of resource names, e.g. `imageshare-dev`. */
  readonly namePrefix: string;
  /** Region of the VPC; service names and bucket names depend on it. */
  readonly region: string;
  /** Account that owns the VPC and the Elastic Beanstalk resources (a token is fine). */
  readonly accountId: string;
  /** VPC of the endpoints. */
  readonly vpcId: string;
  /** Instance subnets, one per AZ, in AZ order; interface endpoints go into all or the first. */
  readonly instanceSubnetIds: readonly string[];
  /** CIDRs of the instance subnets: the only sources allowed to reach the interface endpoints. */
  readonly instanceSubnetCidrs: readonly string[];
  /** Route tables of the instance subnets; the S3 gateway endpoint adds its route to each. */
  readonly instanceRouteTableIds: readonly string[];
  /** Interface endpoints in every AZ or in the first AZ only. @default "all-azs" */
  readonly placement?: EndpointPlacement;
  /** Add the ssm, ssmmessages and ec2messages endpoints for Session Manager. @default false */
  readonly sessionManager?: boolean;
}

/**
 * The VPC endpoints that let isolated instances be deployed, monitored and patched by Elastic Beanstalk: an S3
 * gateway endpoint on the instance route tables and interface endpoints (private DNS) behind one security group
 * that admits HTTPS from the instance subnets only. Every endpoint whose service supports it has a JSON policy.
 */
export class Endpoints extends Construct {
  readonly s3GatewayEndpointId: string;
  /** Prefix list of S3 in this region (for security-group egress rules of the instances). */
  readonly s3PrefixListId: string;
  readonly endpointSecurityGroupId: string;
  /** Interface endpoints by service suffix (`elasticbeanstalk`, `logs`...). */
  readonly interfaceEndpoints: Record<string, VpcEndpoint> = {};
  private readonly s3Statements: PolicyStatement[];
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: EndpointsProps) {
    super(scope, id);
    const { region, accountId } = props;
    this.accountId = accountId;
    const ownAccount = { StringEquals: { "aws:PrincipalAccount": accountId } };

    this.s3Statements = s3BaselineStatements(region, accountId);
    const s3 = new VpcEndpoint(this, "s3-gateway", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${region}.s3`,
      // Gateway, not interface: dnf reaches the AL2023 repos through s3.dualstack names that the interface
      // endpoint's private DNS does not cover; the gateway endpoint is also free.
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.instanceRouteTableIds],
      policy: Lazy.stringValue({ produce: () => policyJson(this.s3Statements) }),
      tags: { Name: `${props.namePrefix}-s3` },
    });
    this.s3GatewayEndpointId = s3.id;
    this.s3PrefixListId = s3.prefixListId;

    const securityGroup = new SecurityGroup(this, "endpoint-security-group", {
      vpcId: props.vpcId,
      name: `${props.namePrefix}-vpc-endpoints`,
      description: "Interface VPC endpoints: HTTPS from the instance subnets only",
      // Endpoints answer; they never open connections, so no egress rule at all (Terraform removes AWS's default).
      egress: [],
      tags: { Name: `${props.namePrefix}-vpc-endpoints` },
    });
    this.endpointSecurityGroupId = securityGroup.id;
    props.instanceSubnetCidrs.forEach((cidr, az) => {
      new VpcSecurityGroupIngressRule(this, `endpoint-https-from-instance-subnet-${az}`, {
        securityGroupId: securityGroup.id,
        description: `HTTPS from instance subnet ${az}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    const placement = props.placement ?? "all-azs";
    const subnetIds =
      placement === "single-az" ? props.instanceSubnetIds.slice(0, 1) : [...props.instanceSubnetIds];
    const specs = interfaceEndpointSpecs(region, accountId, ownAccount, props.sessionManager ?? false);
    for (const spec of specs) {
      this.interfaceEndpoints[spec.service] = new VpcEndpoint(this, spec.service, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${region}.${spec.service}`,
        vpcEndpointType: "Interface",
        // EB requires private DNS: the instances call the services' public names and must land on the ENIs.
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [securityGroup.id],
        policy: spec.statements ? policyJson(spec.statements) : undefined,
        tags: { Name: `${props.namePrefix}-${spec.service}` },
      });
    }
  }

  /**
   * Lets this account's principals use a bucket through the S3 gateway endpoint (the app's artifact and images
   * buckets). Object actions go to `bucketArn/*`, `s3:ListBucket` (and other bucket-level actions) to the bucket.
   */
  allowBucketAccess(sid: string, bucketArn: string, actions: string[]): void {
    this.s3Statements.push(ownBucketStatement(sid, bucketArn, actions, this.accountId));
  }
}

const BUCKET_LEVEL_ACTIONS = new Set([
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:ListBucketMultipartUploads",
]);

/** A statement for one of this account's buckets: only this account's principals (the instance role). */
function ownBucketStatement(
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
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: "*",
    Action: actions,
    Resource: resources,
    Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
  };
}

/**
 * What Elastic Beanstalk and the platform need from S3 (EB guide, "Using endpoint policies to control access
 * with VPC endpoints"). AWS-owned buckets carry no principal condition: dnf reads the AL2023 repos anonymously and
 * CloudFormation presigns its wait-condition URLs itself, so the caller is not a principal of this account; naming
 * the exact buckets (and, for wait conditions, this account's stack keys) is what narrows those statements.
 */
function s3BaselineStatements(region: string, accountId: string): PolicyStatement[] {
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
    ownBucketStatement(
      "EnvironmentBucket",
      `arn:aws:s3:::elasticbeanstalk-${region}-${accountId}`,
      ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      accountId,
    ),
  ];
}

/**
 * The interface endpoints Elastic Beanstalk needs with no internet route, and their policies. Which statements
 * can name this account's principals depends on how each client authenticates (see the comments).
 */
function interfaceEndpointSpecs(
  region: string,
  accountId: string,
  ownAccount: PolicyStatement["Condition"],
  sessionManager: boolean,
): InterfaceEndpointSpec[] {
  const specs: InterfaceEndpointSpec[] = [
    {
      // EB's service API; the EB guide requires this endpoint for environments without internet access.
      service: "elasticbeanstalk",
      statements: [
        {
          Sid: "ThisAccountOnly",
          Effect: "Allow",
          Principal: "*",
          Action: "elasticbeanstalk:*",
          Resource: [
            `arn:aws:elasticbeanstalk:${region}:${accountId}:*`,
            // Platforms and solution stacks are AWS-owned, account-less ARNs.
            `arn:aws:elasticbeanstalk:${region}::*`,
          ],
          Condition: ownAccount,
        },
      ],
    },
    // healthd -> PutInstanceStatistics. The service does not support endpoint policies: the security group and
    // the instance role's narrow permission are the controls.
    { service: "elasticbeanstalk-health" },
    {
      // cfn-init / cfn-get-metadata / cfn-hup / cfn-signal. They authenticate with the instance identity
      // document (CFN-V1 auth), not with IAM credentials of this account, so no principal condition can apply;
      // the resource narrows to this account's EB stacks, the actions to reading metadata and signalling.
      service: "cloudformation",
      statements: [
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
      ],
    },
    {
      // cfn-hup receives EB commands from, and posts results to, queues owned by AWS service accounts, with
      // credentials issued by CloudFormation for those accounts. Neither the principal nor the queue belongs to
      // this account, so neither can be pinned; the region and the message actions are the narrowing.
      service: "sqs",
      statements: [
        {
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
        },
      ],
    },
    {
      // CloudWatch agent streaming instance and health logs (StreamLogs, HealthStreamingEnabled).
      service: "logs",
      statements: [
        {
          Sid: "ElasticBeanstalkLogGroupsOfThisAccount",
          Effect: "Allow",
          Principal: "*",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: `arn:aws:logs:${region}:${accountId}:log-group:/aws/elasticbeanstalk/*`,
          Condition: ownAccount,
        },
      ],
    },
  ];
  if (sessionManager) {
    // The SSM agent signs with the instance role, a principal of this account.
    for (const service of ["ssm", "ssmmessages", "ec2messages"]) {
      specs.push({
        service,
        statements: [
          {
            Sid: "ThisAccountOnly",
            Effect: "Allow",
            Principal: "*",
            Action: `${service}:*`,
            Resource: "*",
            Condition: ownAccount,
          },
        ],
      });
    }
  }
  return specs;
}
