import { PolicyStatement } from "./document";

/** Bucket ARN and object ARN pattern; deny statements cover both so no request slips past. */
export function bucketAndObjects(bucketArn: string): string[] {
  return [bucketArn, `${bucketArn}/*`];
}

/** Denies any request over plain HTTP and any TLS older than 1.2. */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: bucketAndObjects(bucketArn),
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOutdatedTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: bucketAndObjects(bucketArn),
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}
