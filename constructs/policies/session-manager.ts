/** Session Manager on an instance: what its SSM agent calls (used by every compute that runs EC2 instances). */
import { PolicyStatement } from "./document";
import { thisAccountOnlyStatement } from "./this-account";
import { InterfaceEndpointSpec } from "./vpc-endpoints";

/**
 * The actions of AmazonSSMManagedInstanceCore, written out. Instance registration and parameter reads are narrowed;
 * the association, message and channel APIs take no resource type (Service Authorization Reference), so they stay
 * on "*" — none of them reads data the app owns.
 */
export function sessionManagerStatements(region: string, accountId: string): PolicyStatement[] {
  return [
    {
      Sid: "SessionManagerRegisterInstance",
      Effect: "Allow",
      Action: "ssm:UpdateInstanceInformation",
      Resource: `arn:aws:ec2:${region}:${accountId}:instance/*`,
    },
    {
      // The managed policy allows every parameter; the agent's documents only read AWS public parameters.
      Sid: "SessionManagerReadPublicParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: `arn:aws:ssm:${region}::parameter/aws/*`,
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

/**
 * The interface endpoints Session Manager needs with no internet route (Systems Manager guide, "Improve the security
 * of EC2 instances by using VPC endpoints for Systems Manager"): ssm, ssmmessages and ec2messages, each open to this
 * account's principals only (the SSM agent signs with the instance role).
 */
export function sessionManagerEndpoints(accountId: string): InterfaceEndpointSpec[] {
  return ["ssm", "ssmmessages", "ec2messages"].map((service) => ({
    service,
    statements: [thisAccountOnlyStatement("ThisAccountOnly", `${service}:*`, "*", accountId)],
  }));
}
