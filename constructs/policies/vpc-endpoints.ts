/**
 * The generic mechanism of VPC endpoint policies: an interface endpoint's spec, and the S3 gateway statement for one
 * of this account's buckets. What a compute needs from each endpoint is its own (constructs/compute/<kind>/
 * endpoints.ts); the Endpoints construct creates whatever it is given.
 */
import { PolicyStatement } from "./document";
import { thisAccountOnlyStatement } from "./this-account";

/** One interface endpoint: the service suffix of `com.amazonaws.REGION.X` and its policy, if the service takes one. */
export interface InterfaceEndpointSpec {
  readonly service: string;
  /** Statements of the endpoint policy; undefined when the service does not support endpoint policies. */
  readonly statements?: PolicyStatement[];
}

const BUCKET_LEVEL_ACTIONS = new Set([
  "s3:ListBucket",
  "s3:GetBucketLocation",
  "s3:ListBucketMultipartUploads",
]);

/**
 * Gateway-endpoint statement for one of this account's buckets: only this account's principals (the instance role).
 * Object actions go to `bucketArn/*`, `s3:ListBucket` (and other bucket-level actions) to the bucket.
 */
export function gatewayBucketStatement(
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
  return thisAccountOnlyStatement(sid, actions, resources, accountId);
}
