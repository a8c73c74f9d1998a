import { beanstalkBucketArn, logGroupArn } from "../../../constructs/policies/arns";

test("a log group's ARN names region, account and group; a trailing * covers a prefix", () => {
  expect(logGroupArn("eu-west-1", "123456789012", "/aws/vpc-flow-logs/demo")).toBe(
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/demo",
  );
  expect(logGroupArn("eu-west-1", "123456789012", "/aws/elasticbeanstalk/*")).toBe(
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/elasticbeanstalk/*",
  );
});

test("Elastic Beanstalk's bucket is elasticbeanstalk-REGION-ACCOUNT", () => {
  expect(beanstalkBucketArn("eu-west-1", "123456789012")).toBe(
    "arn:aws:s3:::elasticbeanstalk-eu-west-1-123456789012",
  );
});
