import { TerraformOutput, Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LoadBalancer, LoadBalancerProps } from "../../../constructs/edge/load-balancer";
import {
  Resource,
  SynthesizedStack,
  onlyResource,
  refOf,
  resolveRef,
  resourcesOf,
} from "../../../test-support/synth";

const INSTANCE_SG = "sg-0instances";
const CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const DOMAIN = { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" };

const base: LoadBalancerProps = {
  namePrefix: "imageshare-test",
  vpcId: "vpc-0test",
  publicSubnetIds: ["subnet-0a", "subnet-0b"],
  allowedIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
  accessLogs: { bucketName: "imageshare-test-alb-logs", prefix: "alb" },
};
const waf = { logRetentionDays: 365, accountId: "123456789012", region: "eu-west-1" };

function synthLoadBalancer(props: Partial<LoadBalancerProps> = {}) {
  let construct: LoadBalancer | undefined;
  const json = Testing.synthScope((scope) => {
    construct = new LoadBalancer(scope, "lb", { ...base, ...props });
    construct.allowForwardingTo(INSTANCE_SG, 80);
  });
  return { json, parsed: JSON.parse(json) as SynthesizedStack, lb: construct as LoadBalancer };
}

function listenerOnPort(stack: SynthesizedStack, port: number): Resource {
  const listener = Object.values(resourcesOf(stack, "aws_lb_listener")).find((l) => l.port === port);
  if (!listener) throw new Error(`no listener on port ${port}`);
  return listener;
}

const notFound = {
  type: "fixed-response",
  fixed_response: { content_type: "text/plain", message_body: "Not found", status_code: "404" },
};

describe("LoadBalancer", () => {
  test("is an internet-facing application load balancer in the public subnets behind its own security group", () => {
    const { json, parsed } = synthLoadBalancer();
    const [sgName] = Object.keys(resourcesOf(parsed, "aws_security_group"));
    expect(json).toHaveResourceWithProperties(Lb, {
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-0a", "subnet-0b"],
      security_groups: [refOf("aws_security_group", sgName, "id")],
    });
  });

  test("is hardened: invalid headers dropped, strictest desync mitigation, WAF fails closed, XFF appended", () => {
    expect(synthLoadBalancer().json).toHaveResourceWithProperties(Lb, {
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      enable_waf_fail_open: false,
      xff_header_processing_mode: "append",
      enable_xff_client_port: false,
      preserve_host_header: false,
      enable_http2: true,
    });
  });

  test("sets the idle timeout deliberately (60 s by default, matching nginx) and accepts another", () => {
    expect(synthLoadBalancer().json).toHaveResourceWithProperties(Lb, { idle_timeout: 60 });
    expect(synthLoadBalancer({ idleTimeoutSeconds: 120 }).json).toHaveResourceWithProperties(Lb, {
      idle_timeout: 120,
    });
  });

  test("writes access logs to the ALB log bucket under the prefix, after the given dependencies", () => {
    const json = Testing.synthScope((scope) => {
      const marker = new CloudwatchLogGroup(scope, "bucket-policy-stand-in", { name: "stand-in" });
      new LoadBalancer(scope, "lb", { ...base, accessLogs: { ...base.accessLogs, dependsOn: [marker] } });
    });
    expect(json).toHaveResourceWithProperties(Lb, {
      access_logs: { enabled: true, bucket: "imageshare-test-alb-logs", prefix: "alb" },
    });
    const alb = onlyResource(JSON.parse(json), "aws_lb");
    expect(alb.depends_on).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\.bucket-policy-stand-in/),
    ]);
  });

  test("has deletion protection unless turned off explicitly", () => {
    expect(synthLoadBalancer().json).toHaveResourceWithProperties(Lb, { enable_deletion_protection: true });
    expect(synthLoadBalancer({ deletionProtection: false }).json).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: false,
    });
  });

  test("refuses a name longer than an ALB allows and a single subnet, naming the setting", () => {
    expect(() => synthLoadBalancer({ namePrefix: "a".repeat(30) })).toThrow(/namePrefix/);
    expect(() => synthLoadBalancer({ publicSubnetIds: ["subnet-0a"] })).toThrow(/publicSubnetIds/);
  });

  describe("without TLS", () => {
    const { parsed, lb } = synthLoadBalancer();

    test("serves plain HTTP on port 80 only, answering 404 unless an EB host rule matches", () => {
      const listeners = Object.values(resourcesOf(parsed, "aws_lb_listener"));
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatchObject({ port: 80, protocol: "HTTP", default_action: [notFound] });
      expect(resourcesOf(parsed, "aws_acm_certificate")).toEqual({});
      expect(resourcesOf(parsed, "aws_lb_listener_rule")).toEqual({});
    });

    test("tells the beanstalk construct to use the port-80 listener and the ALB's DNS name", () => {
      expect(lb.tlsEnabled).toBe(false);
      expect(lb.servingListenerPort).toBe(80);
      expect(lb.httpsListenerArn).toBeUndefined();
      expect(lb.domainName).toBeUndefined();
      expect(lb.url).toMatch(/^http:\/\/\$\{TfToken/);
    });
  });

  describe("with an existing certificate", () => {
    const { json, parsed, lb } = synthLoadBalancer({
      tls: { certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" },
    });

    test("serves the certificate's host name: the name EB's listener rule routes and the URL", () => {
      expect(lb.domainName).toBe("images.example.org");
      expect(lb.url).toBe("https://images.example.org");
    });

    test("serves HTTPS on 443 with the certificate, a TLS 1.3 policy and a 404 default", () => {
      expect(json).toHaveResourceWithProperties(LbListener, {
        port: 443,
        protocol: "HTTPS",
        certificate_arn: CERTIFICATE_ARN,
        ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        default_action: [notFound],
      });
    });

    test("redirects every HTTP request to HTTPS with a 301", () => {
      expect(listenerOnPort(parsed, 80)).toMatchObject({
        protocol: "HTTP",
        default_action: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
        ],
      });
    });

    test("port 80 only redirects: a catch-all redirect rule at priority 1 outranks any rule EB adds there", () => {
      const [rule] = Object.values(resourcesOf(parsed, "aws_lb_listener_rule"));
      expect(Object.keys(resourcesOf(parsed, "aws_lb_listener_rule"))).toHaveLength(1);
      expect(resolveRef(parsed, rule.listener_arn as string).resource.port).toBe(80);
      expect(rule).toMatchObject({
        priority: 1,
        condition: [{ path_pattern: { values: ["*"] } }],
        action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
      });
    });

    test("hands the environment both listeners and the redirect rule to be created after", () => {
      const kinds = lb.listeners.map((d) => (d instanceof LbListenerRule ? "rule" : d instanceof LbListener));
      expect(kinds.sort()).toEqual(["rule", true, true]);
    });

    test("creates no certificate or DNS records of its own", () => {
      expect(resourcesOf(parsed, "aws_acm_certificate")).toEqual({});
      expect(resourcesOf(parsed, "aws_route53_record")).toEqual({});
    });

    test("accepts a stricter TLS policy", () => {
      const strict = synthLoadBalancer({
        tls: { certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" },
        sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      });
      expect(listenerOnPort(strict.parsed, 443).ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    });

    test("tells the beanstalk construct to use the 443 listener and exposes both listener ARNs", () => {
      expect(lb.tlsEnabled).toBe(true);
      expect(lb.servingListenerPort).toBe(443);
      expect(lb.url).toMatch(/^https:\/\//);
      const exposed = JSON.parse(
        Testing.synthScope((scope) => {
          const withTls = new LoadBalancer(scope, "lb", {
            ...base,
            tls: { certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" },
          });
          new TerraformOutput(scope, "https", { value: withTls.httpsListenerArn });
          new TerraformOutput(scope, "http", { value: withTls.httpListenerArn });
        }),
      ) as SynthesizedStack;
      expect(resolveRef(exposed, exposed.output?.https.value).resource.port).toBe(443);
      expect(resolveRef(exposed, exposed.output?.http.value).resource.port).toBe(80);
    });
  });

  describe("with a domain", () => {
    const { json, parsed, lb } = synthLoadBalancer({ tls: { domain: DOMAIN } });

    test("the HTTPS listener uses the certificate only once it is validated", () => {
      const https = listenerOnPort(parsed, 443);
      expect(resolveRef(parsed, https.certificate_arn).type).toBe("aws_acm_certificate_validation");
      expect(https.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
      expect(https.default_action).toEqual([notFound]);
      expect(listenerOnPort(parsed, 80).default_action).toEqual([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
      ]);
    });

    test("points the domain at the load balancer with an alias A record", () => {
      const [albName] = Object.keys(resourcesOf(parsed, "aws_lb"));
      expect(json).toHaveResourceWithProperties(Route53Record, {
        zone_id: DOMAIN.hostedZoneId,
        name: DOMAIN.domainName,
        type: "A",
        alias: {
          name: refOf("aws_lb", albName, "dns_name"),
          zone_id: refOf("aws_lb", albName, "zone_id"),
          evaluate_target_health: true,
        },
      });
    });

    test("exposes the domain and an https URL on it", () => {
      expect(lb.domainName).toBe(DOMAIN.domainName);
      expect(lb.url).toBe(`https://${DOMAIN.domainName}`);
      expect(lb.servingListenerPort).toBe(443);
    });
  });

  describe("security group", () => {
    const ingressOf = (stack: SynthesizedStack) =>
      Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"));
    const egressOf = (stack: SynthesizedStack) =>
      Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule"));

    test("has no inline rules (so the default allow-all egress is removed) and a description", () => {
      const sg = onlyResource(synthLoadBalancer().parsed, "aws_security_group");
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
      expect(sg.description).toEqual(expect.any(String));
      expect(sg.vpc_id).toBe("vpc-0test");
    });

    test("without TLS lets only the allowed CIDRs in, on port 80 only", () => {
      const rules = ingressOf(synthLoadBalancer().parsed);
      expect(rules.map((r) => [r.cidr_ipv4, r.from_port, r.to_port, r.ip_protocol]).sort()).toEqual(
        [
          ["198.51.100.0/24", 80, 80, "tcp"],
          ["203.0.113.0/24", 80, 80, "tcp"],
        ].sort(),
      );
    });

    test("with TLS lets the allowed CIDRs in on 80 (redirect) and 443", () => {
      const rules = ingressOf(
        synthLoadBalancer({ tls: { certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" } })
          .parsed,
      );
      expect(rules.map((r) => `${r.cidr_ipv4}:${r.from_port}-${r.to_port}`).sort()).toEqual(
        [
          "198.51.100.0/24:80-80",
          "198.51.100.0/24:443-443",
          "203.0.113.0/24:80-80",
          "203.0.113.0/24:443-443",
        ].sort(),
      );
    });

    test("sends traffic only to the instance security group on the app port", () => {
      const { parsed } = synthLoadBalancer({ tls: { domain: DOMAIN } });
      const [sgName] = Object.keys(resourcesOf(parsed, "aws_security_group"));
      const rules = egressOf(parsed);
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        security_group_id: refOf("aws_security_group", sgName, "id"),
        referenced_security_group_id: INSTANCE_SG,
        ip_protocol: "tcp",
        from_port: 80,
        to_port: 80,
      });
      expect(rules[0].cidr_ipv4).toBeUndefined();
    });

    test("has no egress at all until forwarding is allowed", () => {
      const parsed = JSON.parse(Testing.synthScope((scope) => new LoadBalancer(scope, "lb", base)));
      expect(resourcesOf(parsed, "aws_vpc_security_group_egress_rule")).toEqual({});
    });

    test("every rule belongs to the ALB group and has a description; none is open to 0.0.0.0/0 outbound", () => {
      const { parsed } = synthLoadBalancer({
        tls: { certificateArn: CERTIFICATE_ARN, hostName: "images.example.org" },
      });
      const [sgName] = Object.keys(resourcesOf(parsed, "aws_security_group"));
      for (const rule of [...ingressOf(parsed), ...egressOf(parsed)]) {
        expect(rule.description).toMatch(/\w{4,}/);
        expect(rule.security_group_id).toBe(refOf("aws_security_group", sgName, "id"));
      }
      for (const rule of egressOf(parsed)) {
        expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
        expect(rule.cidr_ipv6).toBeUndefined();
      }
    });
  });

  describe("WAF", () => {
    test("is absent unless asked for", () => {
      const { parsed } = synthLoadBalancer();
      expect(resourcesOf(parsed, "aws_wafv2_web_acl")).toEqual({});
      expect(resourcesOf(parsed, "aws_wafv2_web_acl_association")).toEqual({});
    });

    test("when asked for, is associated with the load balancer (constructs/edge/web-acl.ts)", () => {
      const { parsed } = synthLoadBalancer({ waf });
      const association = onlyResource(parsed, "aws_wafv2_web_acl_association");
      expect(resolveRef(parsed, association.resource_arn).type).toBe("aws_lb");
      expect(resolveRef(parsed, association.web_acl_arn).type).toBe("aws_wafv2_web_acl");
    });
  });
});
