import { gatewayBucketStatement } from "../../../constructs/policies/vpc-endpoints";

const ACCOUNT = "123456789012";

describe("S3 gateway endpoint statement for one of this account's buckets", () => {
  test("a bucket statement puts object actions on the objects only, and refuses wildcard actions", () => {
    expect(gatewayBucketStatement("Artifacts", "arn:aws:s3:::artifacts", ["s3:GetObject"], ACCOUNT)).toEqual({
      Sid: "Artifacts",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::artifacts/*"],
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    });
    expect(() => gatewayBucketStatement("All", "arn:aws:s3:::x", ["s3:*"], ACCOUNT)).toThrow(
      /named S3 actions/,
    );
    expect(() => gatewayBucketStatement("None", "arn:aws:s3:::x", [], ACCOUNT)).toThrow(/named S3 actions/);
  });
});
