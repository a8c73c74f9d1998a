/**
 * ARN formulas written once (Service Authorization Reference, "Resource types defined by" each service:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */

/**
 * A CloudWatch Logs group (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`); NAME may end in `*` for a prefix. Built
 * from the name, not the group's `arn` attribute: key policies must name a group whose `arn` depends on the key.
 */
export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

/**
 * The bucket Elastic Beanstalk creates per region and account for application versions, environment resources and
 * log bundles (EB guide, "Using Elastic Beanstalk with Amazon S3": `elasticbeanstalk-REGION-ACCOUNT`).
 */
export function beanstalkBucketArn(region: string, accountId: string): string {
  return `arn:aws:s3:::elasticbeanstalk-${region}-${accountId}`;
}
