import { PolicyPrincipal, PolicyStatement } from "./document";
import { onBehalfOfAccount } from "./this-account";

/**
 * Elastic Load Balancing's log-delivery account per region, for regions available before August 2022.
 * Source: "Enable access logs for your Application Load Balancer", step 2 (bucket policy), AWS ELB user guide:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** Regions opened in or after August 2022: ELB delivers logs as a service principal there (same AWS page). */
export const ELB_LOG_DELIVERY_SERVICE_REGIONS: readonly string[] = [
  "me-central-1",
  "eu-central-2",
  "eu-south-2",
  "ap-south-2",
  "ap-southeast-4",
  "il-central-1",
  "ca-west-1",
  "ap-southeast-5",
  "ap-southeast-7",
  "mx-central-1",
];

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";
export const S3_LOGGING_SERVICE = "logging.s3.amazonaws.com";

/** Who writes ALB access logs in a region: the regional ELB account (older regions) or the service principal. */
export function elbLogDeliveryPrincipal(region: string): PolicyPrincipal {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  if (account) return { AWS: `arn:aws:iam::${account}:root` };
  if (ELB_LOG_DELIVERY_SERVICE_REGIONS.includes(region)) return { Service: ELB_LOG_DELIVERY_SERVICE };
  throw new Error(
    `No ELB log-delivery principal known for region "${region}": add it to ELB_LOG_DELIVERY_ACCOUNTS or ` +
      `ELB_LOG_DELIVERY_SERVICE_REGIONS (constructs/policies/log-delivery.ts) from the AWS docs`,
  );
}

/**
 * Lets the load balancer write its access logs under `prefix/AWSLogs/<account>/` and nowhere else. No
 * `aws:SourceAccount`/`aws:SourceArn` condition: the ELB guide's policy has none, and in older regions the writer is
 * an ELB-owned account, for which S3 sets no source context; the account-scoped path is the limit ELB documents.
 */
export function albLogDeliveryStatement(
  bucketArn: string,
  prefix: string,
  accountId: string,
  region: string,
): PolicyStatement {
  return {
    Sid: "AllowAlbAccessLogDelivery",
    Effect: "Allow",
    Principal: elbLogDeliveryPrincipal(region),
    Action: "s3:PutObject",
    Resource: `${bucketArn}/${prefix}/AWSLogs/${accountId}/*`,
  };
}

/**
 * Lets S3 server access logging write one source bucket's logs under `prefix`, only on behalf of that bucket in
 * this account (confused-deputy guard). Works with BucketOwnerEnforced: the grant is this policy, not an ACL.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export function s3AccessLogDeliveryStatement(
  sid: string,
  targetBucketArn: string,
  prefix: string,
  sourceBucketArn: string,
  accountId: string,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: S3_LOGGING_SERVICE },
    Action: "s3:PutObject",
    Resource: `${targetBucketArn}/${prefix}*`,
    Condition: { ArnEquals: { "aws:SourceArn": sourceBucketArn }, ...onBehalfOfAccount(accountId) },
  };
}
