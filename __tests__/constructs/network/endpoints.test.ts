import { TerraformOutput } from "cdktf";
import { Endpoints, EndpointsProps } from "../../../constructs/network/endpoints";
import {
  beanstalkGatewayStatements,
  beanstalkInterfaceEndpoints,
} from "../../../constructs/compute/beanstalk/endpoints";
import {
  Resource,
  SynthesizedStack,
  parsePolicy,
  resourcesOf,
  statementBySid,
  synthConstruct,
} from "../../../test-support/synth";

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
  gatewayStatements: beanstalkGatewayStatements(REGION, ACCOUNT),
  interfaceEndpoints: beanstalkInterfaceEndpoints(REGION, ACCOUNT, false),
};
const SERVICES = ["elasticbeanstalk", "elasticbeanstalk-health", "cloudformation", "sqs", "logs"];

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

  test("its policy starts with the statements it was given", () => {
    expect(parsePolicy(s3.policy).Statement).toEqual(baseProps.gatewayStatements);
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
});

describe("Endpoints: interface endpoints", () => {
  test("one interface endpoint per spec given, in this region", () => {
    expect(interfaceServices(stack)).toEqual([...SERVICES].sort());
    const { stack: one } = synthEndpoints({ interfaceEndpoints: [{ service: "logs" }] });
    expect(interfaceServices(one)).toEqual(["logs"]);
  });

  test("every interface endpoint has private DNS and the endpoint security group", () => {
    for (const service of SERVICES) {
      const endpoint = endpointFor(stack, service);
      expect(endpoint.private_dns_enabled).toBe(true);
      expect(endpoint.security_group_ids).toEqual([
        expect.stringMatching(/^\$\{aws_security_group\.[^.]+\.id\}$/),
      ]);
    }
  });

  test("placement: all AZs by default, first AZ only with single-az", () => {
    for (const service of SERVICES)
      expect(endpointFor(stack, service).subnet_ids).toEqual(baseProps.instanceSubnetIds);
    const { stack: single } = synthEndpoints({ placement: "single-az" });
    for (const service of SERVICES) expect(endpointFor(single, service).subnet_ids).toEqual(["subnet-a"]);
  });

  test("serializes each spec's statements as its policy; a spec without statements gets none", () => {
    for (const spec of baseProps.interfaceEndpoints) {
      const endpoint = endpointFor(stack, spec.service);
      if (spec.statements) expect(parsePolicy(endpoint.policy).Statement).toEqual(spec.statements);
      else expect(endpoint.policy).toBeUndefined();
    }
    expect(endpointFor(stack, "elasticbeanstalk-health").policy).toBeUndefined();
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
