/** The environment options the Beanstalk construct tests share: literals standing in for the network, ALB and app. */
import { EnvironmentOptions } from "../constructs/compute/beanstalk/settings";

export const BEANSTALK_TEST_OPTIONS: EnvironmentOptions = {
  region: "eu-west-1",
  instanceType: "t4g.micro",
  architecture: "arm64",
  minInstances: 2,
  maxInstances: 4,
  logRetentionDays: 30,
  network: {
    vpcId: "vpc-1",
    instanceSubnetIds: ["subnet-i1", "subnet-i2"],
    appPort: 80,
    endpointSecurityGroupId: "sg-endpoints",
    s3PrefixListId: "pl-s3",
  },
  loadBalancer: {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/alb/1",
    securityGroupId: "sg-alb",
    servingListenerPort: 80,
    dnsName: "alb-1.eu-west-1.elb.amazonaws.com",
    listeners: [],
  },
  app: {
    imagesBucketName: "images-bucket",
    kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    uploadLimitMb: 10,
  },
};
