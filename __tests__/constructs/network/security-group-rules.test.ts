import { allowTcp } from "../../../constructs/network/security-group-rules";
import { onlyResource, resourcesOf, synthConstruct } from "../../../test-support/synth";

describe("allowTcp", () => {
  const stack = synthConstruct((scope) => {
    allowTcp(scope, "in", {
      securityGroupId: "sg-a",
      direction: "ingress",
      port: 443,
      peer: { cidrIpv4: "10.0.0.0/24" },
      description: "HTTPS from the subnet",
    });
    allowTcp(scope, "out-sg", {
      securityGroupId: "sg-a",
      direction: "egress",
      port: 80,
      peer: { referencedSecurityGroupId: "sg-b" },
      description: "HTTP to the instances",
    });
    allowTcp(scope, "out-pl", {
      securityGroupId: "sg-a",
      direction: "egress",
      port: 443,
      peer: { prefixListId: "pl-s3" },
      description: "HTTPS to S3",
    });
  });

  test("opens exactly one TCP port, in the given direction, to exactly the given peer, with its description", () => {
    expect(onlyResource(stack, "aws_vpc_security_group_ingress_rule")).toEqual({
      security_group_id: "sg-a",
      description: "HTTPS from the subnet",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "10.0.0.0/24",
    });
    const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule"));
    expect(egress).toHaveLength(2);
    expect(egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: "sg-b" }),
        expect.objectContaining({ from_port: 443, to_port: 443, prefix_list_id: "pl-s3" }),
      ]),
    );
    for (const rule of egress) {
      expect(rule.ip_protocol).toBe("tcp");
      expect(rule.cidr_ipv4).toBeUndefined();
    }
  });
});
