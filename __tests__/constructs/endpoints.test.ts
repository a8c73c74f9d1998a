import { TerraformOutput } from "cdktf";
import { Endpoints, EndpointsProps } from "../../constructs/endpoints";
import {
  Resource,
  SynthesizedStack,
  asList,
  parsePolicy,
  resourcesOf,
  statementBySid,
  synthConstruct,
} from "../../test-support/synth";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const baseProps: EndpointsProps = {
  namePrefix: "demo-dev",
  region: REGION,
  accountId: ACCOUNT,
  vpcId: "vpc-1",
  instanceSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  instanceSubnetCidrs: ["10.20.128.0/19", "10.20.160.0/19", "10.20.192.0/19"],
  instanceRouteTableIds: ["rtb-a", "rtb-b", "rtb-c"],
};
const REQUIRED = ["elasticbeanstalk", "elasticbeanstalk-health", "cloudformation", "sqs", "logs"];
const SESSION_MANAGER = ["ssm", "ssmmessages", "ec2messages"];

function synthEndpoints(
  props: Partial<EndpointsProps> = {},
  extra?: (endpoints: Endpoints) => void,
): { stack: SynthesizedStack; endpoints: Endpoints } {
  let endpoints!: Endpoints;
  const stack = synthConstruct((scope) => {
    endpoints = new Endpoints(scope, "endpoints", { ...baseProps, ...props });
    extra?.(endpoints);
  });
  return { stack, endpoints };
}

function endpointFor(stack: SynthesizedStack, service: string): Resource {
  const found = Object.values(resourcesOf(stack, "aws_vpc_endpoint")).find(
    (e) => e.service_name === `com.amazonaws.${REGION}.${service}`,
  );
  if (!found) throw new Error(`no endpoint for ${service}`);
  return found;
}

function interfaceServices(stack: SynthesizedStack): string[] {
  return Object.values(resourcesOf(stack, "aws_vpc_endpoint"))
    .filter((e) => e.vpc_endpoint_type === "Interface")
    .map((e) => String(e.service_name).replace(`com.amazonaws.${REGION}.`, ""))
    .sort();
}

const { stack, endpoints } = synthEndpoints();

describe("Endpoints: S3 gateway", () => {
  const s3 = endpointFor(stack, "s3");

  test("is a gateway endpoint on every instance route table", () => {
    expect(s3).toMatchObject({
      vpc_endpoint_type: "Gateway",
      vpc_id: "vpc-1",
      route_table_ids: baseProps.instanceRouteTableIds,
    });
    // Outputs resolve the exposed tokens to the references other constructs will get.
    const { stack: exposed } = synthEndpoints({}, (e) => {
      new TerraformOutput(e, "prefix-list", { value: e.s3PrefixListId });
      new TerraformOutput(e, "gateway-id", { value: e.s3GatewayEndpointId });
      new TerraformOutput(e, "security-group-id", { value: e.endpointSecurityGroupId });
    });
    const output = (name: string) =>
      Object.entries(exposed.output ?? {}).find(([key]) => key.includes(`_${name}_`))?.[1].value;
    expect(output("prefix-list")).toMatch(/^\$\{aws_vpc_endpoint\.[^.]+\.prefix_list_id\}$/);
    expect(output("gateway-id")).toMatch(/^\$\{aws_vpc_endpoint\.[^.]+\.id\}$/);
    expect(output("security-group-id")).toMatch(/^\$\{aws_security_group\.[^.]+\.id\}$/);
  });

  test("policy: EB platform assets, AL2023 repos and CloudFormation signal buckets of this region, by name", () => {
    const objects = (bucket: string) => `arn:aws:s3:::${bucket}/*`;
    expect(statementBySid(s3.policy, "ElasticBeanstalkPlatformAssets")).toMatchObject({
      Action: "s3:GetObject",
      Resource: [
        objects("elasticbeanstalk-platform-assets-eu-west-1"),
        objects("elasticbeanstalk-env-resources-eu-west-1"),
        objects("elasticbeanstalk-eu-west-1"),
        objects("elasticbeanstalk-samples-eu-west-1"),
      ],
    });
    expect(statementBySid(s3.policy, "AmazonLinux2023Repositories")).toMatchObject({
      Action: "s3:GetObject",
      Resource: objects("al2023-repos-eu-west-1-de612dc2"),
    });
  });

  test("policy: wait-condition signals only for this account's EB stacks; no custom-resource response bucket", () => {
    // cfn-signal PUTs to a URL CloudFormation presigned; its object key is the stack ARN (constructs/policies/cloudformation.ts).
    expect(statementBySid(s3.policy, "CloudFormationWaitConditionSignals")).toEqual({
      Sid: "CloudFormationWaitConditionSignals",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::cloudformation-waitcondition-eu-west-1/arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/awseb-*`,
    });
    const resources = parsePolicy(s3.policy).Statement.flatMap((st) => asList(st.Resource));
    expect(resources.filter((r) => r.includes("cloudformation-waitcondition"))).toHaveLength(1);
    expect(resources.filter((r) => r.includes("cloudformation-custom-resource-response"))).toEqual([]);
  });

  test("policy: this account's EB bucket, ListBucket on the bucket ARN, only for this account's principals", () => {
    const bucket = `arn:aws:s3:::elasticbeanstalk-eu-west-1-${ACCOUNT}`;
    expect(statementBySid(s3.policy, "EnvironmentBucket")).toEqual({
      Sid: "EnvironmentBucket",
      Effect: "Allow",
      Principal: "*",
      Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      Resource: [bucket, `${bucket}/*`],
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    });
  });

  test("allowBucketAccess adds a statement serialized at synthesis (after construction)", () => {
    const { stack: withApp } = synthEndpoints({}, (e) => {
      e.allowBucketAccess("ImagesBucket", "arn:aws:s3:::images", [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
      ]);
      e.allowBucketAccess("ArtifactObjects", "arn:aws:s3:::artifacts", ["s3:GetObject"]);
    });
    const policy = endpointFor(withApp, "s3").policy;
    expect(statementBySid(policy, "ImagesBucket")).toMatchObject({
      Resource: ["arn:aws:s3:::images", "arn:aws:s3:::images/*"],
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    });
    expect(statementBySid(policy, "ArtifactObjects").Resource).toEqual(["arn:aws:s3:::artifacts/*"]);
  });

  test("allowBucketAccess refuses wildcard actions", () => {
    expect(() => endpoints.allowBucketAccess("All", "arn:aws:s3:::x", ["s3:*"])).toThrow(/named S3 actions/);
  });

  test("no '*' resource, no s3:* action, no Deny-less wildcard anywhere in the S3 policy", () => {
    for (const statement of parsePolicy(s3.policy).Statement) {
      expect(asList(statement.Resource)).not.toContain("*");
      expect(asList(statement.Action)).not.toContain("s3:*");
      expect(asList(statement.Action)).not.toContain("*");
      expect(statement.Effect).toBe("Allow");
    }
  });
});

describe("Endpoints: interface endpoints", () => {
  test("the five EB endpoints exist; Session Manager endpoints only when asked for", () => {
    expect(interfaceServices(stack)).toEqual([...REQUIRED].sort());
    const { stack: withSsm } = synthEndpoints({ sessionManager: true });
    expect(interfaceServices(withSsm)).toEqual([...REQUIRED, ...SESSION_MANAGER].sort());
  });

  test("every interface endpoint has private DNS and the endpoint security group", () => {
    for (const service of REQUIRED) {
      const endpoint = endpointFor(stack, service);
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.security_group_ids).toEqual([
        expect.stringMatching(/^\$\{aws_security_group\.[^.]+\.id\}$/),
      ]);
    }
  });

  test("placement: all AZs by default, first AZ only with single-az", () => {
    for (const service of REQUIRED)
      expect(endpointFor(stack, service).subnet_ids).toEqual(baseProps.instanceSubnetIds);
    const { stack: single } = synthEndpoints({ placement: "single-az" });
    for (const service of REQUIRED) expect(endpointFor(single, service).subnet_ids).toEqual(["subnet-a"]);
  });

  test("every endpoint but elasticbeanstalk-health has a JSON policy; health does not support one", () => {
    const { stack: withSsm } = synthEndpoints({ sessionManager: true });
    for (const service of [...REQUIRED, ...SESSION_MANAGER]) {
      const endpoint = endpointFor(withSsm, service);
      if (service === "elasticbeanstalk-health") expect(endpoint.policy).toBeUndefined();
      else expect(parsePolicy(endpoint.policy).Statement.length).toBeGreaterThan(0);
    }
  });

  test("elasticbeanstalk, logs and Session Manager: only principals of this account", () => {
    const { stack: withSsm } = synthEndpoints({ sessionManager: true });
    for (const service of ["elasticbeanstalk", "logs", ...SESSION_MANAGER]) {
      for (const statement of parsePolicy(endpointFor(withSsm, service).policy).Statement) {
        expect(statement.Condition).toEqual({ StringEquals: { "aws:PrincipalAccount": ACCOUNT } });
      }
    }
  });

  test("elasticbeanstalk: resources of this account and AWS-owned platforms only", () => {
    const [statement] = parsePolicy(endpointFor(stack, "elasticbeanstalk").policy).Statement;
    expect(statement.Resource).toEqual([
      `arn:aws:elasticbeanstalk:${REGION}:${ACCOUNT}:*`,
      `arn:aws:elasticbeanstalk:${REGION}::*`,
    ]);
  });

  test("logs: stream writes to this account's /aws/elasticbeanstalk/ groups only", () => {
    expect(parsePolicy(endpointFor(stack, "logs").policy).Statement).toEqual([
      expect.objectContaining({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/elasticbeanstalk/*`,
      }),
    ]);
  });

  test("cloudformation: metadata reads and signals on this account's awseb-* stacks only", () => {
    const statements = parsePolicy(endpointFor(stack, "cloudformation").policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "ElasticBeanstalkStacksOfThisAccount",
      "CfnHupCommandListener",
    ]);
    const [stacks] = statements;
    expect(stacks.Resource).toBe(`arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/awseb-*/*`);
    // Exactly these: a missing call stalls EB commands; anything more widens the endpoint.
    expect(asList(stacks.Action)).toEqual([
      "cloudformation:DescribeStackResource",
      "cloudformation:DescribeStackResources",
      "cloudformation:DescribeStacks",
      "cloudformation:SignalResource",
    ]);
  });

  test("cloudformation: cfn-hup's undocumented listener calls have their own statement on '*', and nothing else there", () => {
    // Absent from the Service Authorization Reference: a stack-ARN resource might never match them.
    expect(statementBySid(endpointFor(stack, "cloudformation").policy, "CfnHupCommandListener")).toEqual({
      Sid: "CfnHupCommandListener",
      Effect: "Allow",
      Principal: "*",
      Action: [
        "cloudformation:RegisterListener",
        "cloudformation:GetListenerCredentials",
        "cloudformation:ElectCommandLeader",
      ],
      Resource: "*",
    });
  });

  test("sqs: message actions in this region only (queues belong to AWS accounts)", () => {
    const [statement] = parsePolicy(endpointFor(stack, "sqs").policy).Statement;
    expect(statement.Resource).toBe(`arn:aws:sqs:${REGION}:*:*`);
    for (const action of asList(statement.Action))
      expect(action).toMatch(
        /^sqs:(ReceiveMessage|DeleteMessage|SendMessage|ChangeMessageVisibility|GetQueue)/,
      );
  });

  test("no interface endpoint policy allows a bare '*' action", () => {
    for (const service of REQUIRED.filter((s) => s !== "elasticbeanstalk-health"))
      for (const statement of parsePolicy(endpointFor(stack, service).policy).Statement)
        expect(asList(statement.Action)).not.toContain("*");
  });
});

describe("Endpoints: security group", () => {
  const [groupName, group] = Object.entries(resourcesOf(stack, "aws_security_group"))[0];

  test("admits HTTPS from each instance subnet CIDR, with a description, and nothing else", () => {
    const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r) => r.cidr_ipv4)).toEqual(baseProps.instanceSubnetCidrs);
    for (const rule of ingress) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
      expect(rule.security_group_id).toBe(`\${aws_security_group.${groupName}.id}`);
      expect(String(rule.description).length).toBeGreaterThan(0);
    }
    expect(group.ingress).toBeUndefined();
  });

  test("has no egress rule at all", () => {
    expect(group.egress).toEqual([]);
    expect(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).toEqual({});
  });
});
