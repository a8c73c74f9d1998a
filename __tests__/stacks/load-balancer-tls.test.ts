import { loadBalancerTls } from "../../stacks/load-balancer-tls";

const CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const DOMAIN = { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" };

test("loadBalancerTls maps the configuration: domain, certificate ARN, or nothing", () => {
  expect(loadBalancerTls({ domain: DOMAIN })).toEqual({ domain: DOMAIN });
  expect(
    loadBalancerTls({ certificateArn: CERTIFICATE_ARN, certificateHostName: "images.example.org" }),
  ).toEqual({ certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" });
  expect(() => loadBalancerTls({ certificateArn: CERTIFICATE_ARN })).toThrow(/certificateHostName/);
  expect(loadBalancerTls({})).toBeUndefined();
});
