import { actionsOf } from "../../../constructs/policies/document";
import { prefixAccessFor, prefixAccessStatements } from "../../../constructs/policies/encrypted-bucket";

const PREFIXES = ["uploads/"];
const granted = (actions: string[]) =>
  actionsOf(
    prefixAccessStatements("arn:aws:s3:::b", "k", "eu-west-1", prefixAccessFor(PREFIXES, actions)),
    "s3",
  );

test("prefixAccessFor picks the narrowest access whose grant covers the actions", () => {
  expect(prefixAccessFor(PREFIXES, ["s3:GetObject"])).toEqual({
    prefixes: PREFIXES,
    read: true,
    write: false,
    multipart: false,
    delete: false,
  });
  expect(granted(["s3:GetObject"])).toEqual(["s3:GetObject", "s3:ListBucket"]);
  expect(granted(["s3:PutObject"])).toEqual(["s3:PutObject"]);
  expect(granted(["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"])).toEqual([
    "s3:PutObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:DeleteObject",
  ]);
});

test("prefixAccessFor refuses an action no prefix grant gives", () => {
  expect(() => prefixAccessFor(PREFIXES, ["s3:GetObject", "s3:PutObjectAcl"])).toThrow(/s3:PutObjectAcl/);
  expect(() => prefixAccessFor(PREFIXES, [])).toThrow(/at least one of read, write, delete/);
});

test("actionsOf lists one service's actions once, in order", () => {
  expect(
    actionsOf(
      [
        { Sid: "A", Effect: "Allow", Action: ["s3:GetObject", "kms:Decrypt"] },
        { Sid: "B", Effect: "Allow", Action: "s3:GetObject" },
        { Sid: "C", Effect: "Deny", NotAction: "s3:PutObject" },
        { Sid: "D", Effect: "Allow", Action: "s3:ListBucket" },
      ],
      "s3",
    ),
  ).toEqual(["s3:GetObject", "s3:ListBucket"]);
});
