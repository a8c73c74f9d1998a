import { policyDocument } from "../../../../constructs/policies/document";
import { EC2_BUNDLE_PREFIX, instanceStatements } from "../../../../constructs/compute/ec2/policies";
import { asList, statementBySid } from "../../../../test-support/synth";

const SCOPE = {
  region: "eu-west-1",
  accountId: "123456789012",
  artifactsBucketArn: "arn:aws:s3:::imageshare-dev-ec2-artifacts",
  artifactsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
  logGroupName: "/imageshare/dev-ec2/app",
};
const statements = instanceStatements(SCOPE);
const policy = policyDocument(statements);

describe("EC2 instance role statements", () => {
  test("reads only the release bundles of the artifacts bucket, and lists nothing", () => {
    expect(statementBySid(policy, "ReadReleaseBundles")).toEqual({
      Sid: "ReadReleaseBundles",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::imageshare-dev-ec2-artifacts/${EC2_BUNDLE_PREFIX}*`,
    });
    expect(statements.flatMap((s) => asList(s.Action))).not.toContain("s3:ListBucket");
  });

  test("decrypts with the artifacts key only through S3 in this region and only for the artifacts bucket", () => {
    expect(statementBySid(policy, "DecryptReleaseBundlesViaS3")).toEqual({
      Sid: "DecryptReleaseBundlesViaS3",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: SCOPE.artifactsKeyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": SCOPE.artifactsBucketArn,
        },
      },
    });
  });

  test("writes streams of the app's log group only, and creates no group", () => {
    const group = "arn:aws:logs:eu-west-1:123456789012:log-group:/imageshare/dev-ec2/app";
    expect(statementBySid(policy, "WriteAppLog")).toEqual({
      Sid: "WriteAppLog",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [group, `${group}:log-stream:*`],
    });
  });

  test("nothing else: these three statements, no wildcard action or resource", () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      "ReadReleaseBundles",
      "DecryptReleaseBundlesViaS3",
      "WriteAppLog",
    ]);
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      expect(asList(statement.Action).some((a) => a.includes("*"))).toBe(false);
      expect(asList(statement.Resource)).not.toContain("*");
    }
  });
});
