import { cidrContains, cidrOverlaps, cidrRange, parseIpv4Cidr } from "../../shared/cidr";

test("parses canonical IPv4 CIDRs only", () => {
  expect(parseIpv4Cidr("10.20.0.0/16")).toEqual({ network: 0x0a140000, prefix: 16 });
  expect(parseIpv4Cidr("10.20.0.0/33")).toBeUndefined();
  expect(parseIpv4Cidr("10.20.0/16")).toBeUndefined();
  expect(parseIpv4Cidr("10.20.0.1/16")).toBeUndefined();
  expect(parseIpv4Cidr("10.256.0.0/16")).toBeUndefined();
});

test("ranges, containment and overlap", () => {
  expect(cidrRange("10.0.0.0/30")).toEqual([0x0a000000, 0x0a000003]);
  expect(() => cidrRange("10.0.0.1/30")).toThrow(/canonical/);
  expect(cidrContains("10.0.0.0/16", "10.0.4.0/24")).toBe(true);
  expect(cidrContains("10.0.4.0/24", "10.0.0.0/16")).toBe(false);
  expect(cidrContains("0.0.0.0/0", "198.51.100.7/32")).toBe(true);
  expect(cidrOverlaps("10.0.4.0/24", "10.0.0.0/16")).toBe(true);
  expect(cidrOverlaps("10.0.0.0/24", "10.0.1.0/24")).toBe(false);
});
