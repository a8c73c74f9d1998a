/**
 * The hand-written statement matcher is an oracle: construct tests trust its verdicts. Each test here breaks a
 * policy on purpose (or asks a question whose answer IAM documents) and expects the matcher to notice.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { PolicyStatement } from "../../constructs/policies/document";
import { enforceKmsKeyStatements } from "../../constructs/policies/encrypted-bucket";
import {
  conditionHolds,
  denyingSids,
  isAllowed,
  matchingStatements,
} from "../../test-support/statement-matcher";

const BUCKET = "arn:aws:s3:::images";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/ours";
const put = (context: Record<string, string>) => ({
  action: "s3:PutObject",
  resource: `${BUCKET}/uploads/a`,
  context,
});
const SSE = "s3:x-amz-server-side-encryption";

describe("fault injection into the KMS-enforcing bucket policy", () => {
  const policy = enforceKmsKeyStatements(BUCKET, KEY);

  test("the intact policy lets a header-less upload through and denies a foreign encryption header", () => {
    expect(denyingSids(policy, put({}))).toEqual([]);
    expect(denyingSids(policy, put({ [SSE]: "AES256" }))).toEqual(["DenyNonKmsEncryptionHeader"]);
    expect(denyingSids(policy, put({ [SSE]: "aws:kms" }))).toEqual([]);
  });

  test("without the Null guard, the negated operator denies header-less uploads too: the matcher sees it", () => {
    const unguarded = policy.map((s): PolicyStatement => {
      if (s.Sid !== "DenyNonKmsEncryptionHeader") return s;
      const condition = { ...s.Condition! };
      delete condition.Null;
      return { ...s, Condition: condition };
    });
    expect(denyingSids(unguarded, put({}))).toEqual(["DenyNonKmsEncryptionHeader"]);
  });

  test("a deny narrowed to another action no longer applies: the matcher sees it", () => {
    const wrongAction = policy.map((s) => ({ ...s, Action: "s3:GetObject" }));
    expect(denyingSids(wrongAction, put({ [SSE]: "AES256" }))).toEqual([]);
  });

  test("a deny on another resource no longer applies: the matcher sees it", () => {
    const wrongResource = policy.map((s) => ({ ...s, Resource: "arn:aws:s3:::other/*" }));
    expect(denyingSids(wrongResource, put({ [SSE]: "AES256" }))).toEqual([]);
  });
});

describe("condition semantics", () => {
  test("a missing key: positive operators false, negated operators and IfExists true", () => {
    expect(conditionHolds({ StringEquals: { k: "v" } }, {})).toBe(false);
    expect(conditionHolds({ StringNotEquals: { k: "v" } }, {})).toBe(true);
    expect(conditionHolds({ StringEqualsIfExists: { k: "v" } }, {})).toBe(true);
    expect(conditionHolds({ StringEqualsIfExists: { k: "v" } }, { k: "w" })).toBe(false);
    expect(conditionHolds({ Null: { k: "true" } }, {})).toBe(true);
    expect(conditionHolds({ Null: { k: "false" } }, {})).toBe(false);
  });

  test("values of one key are OR-ed (NOR when negated); keys and operators are AND-ed", () => {
    expect(conditionHolds({ StringEquals: { k: ["a", "b"] } }, { k: "b" })).toBe(true);
    expect(conditionHolds({ StringNotEquals: { k: ["a", "b"] } }, { k: "b" })).toBe(false);
    expect(conditionHolds({ StringEquals: { k: "a", j: "b" } }, { k: "a", j: "c" })).toBe(false);
    expect(conditionHolds({ StringEquals: { k: "a" }, StringLike: { j: "x*" } }, { k: "a", j: "xyz" })).toBe(
      true,
    );
  });

  test("an operator it does not implement is an error, never a silent false", () => {
    expect(() =>
      conditionHolds({ DateGreaterThan: { "aws:CurrentTime": "2020-01-01" } }, { "aws:CurrentTime": "x" }),
    ).toThrow(/not implemented/);
  });
});

describe("actions, resources, principals and the decision", () => {
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadUploads",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::1:role/app" },
      Action: "s3:Get*",
      Resource: `${BUCKET}/uploads/*`,
    },
    {
      Sid: "NoSecrets",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: `${BUCKET}/uploads/secret*`,
    },
  ];
  const get = (key: string, principal = "arn:aws:iam::1:role/app") => ({
    action: "s3:GetObject",
    resource: `${BUCKET}/${key}`,
    principal: { AWS: principal },
  });

  test("wildcards match as IAM's do; another principal is not matched", () => {
    expect(matchingStatements(statements, get("uploads/a")).map((s) => s.Sid)).toEqual(["ReadUploads"]);
    expect(matchingStatements(statements, get("thumbs/a"))).toEqual([]);
    expect(matchingStatements(statements, get("uploads/a", "arn:aws:iam::1:role/other"))).toEqual([]);
  });

  test("an explicit deny overrides an allow, and nothing allowed is denied", () => {
    expect(isAllowed(statements, get("uploads/a"))).toBe(true);
    expect(isAllowed(statements, get("uploads/secret-1"))).toBe(false);
    expect(isAllowed(statements, get("thumbs/a"))).toBe(false);
  });
});
