import { EnvironmentConfig, ProjectConfig, projectConfig } from "../../config";
import {
  Resource,
  SynthesizedStack,
  onlyResource,
  resolveRef,
  resourcesOf,
  synthProject,
} from "../../test-support/synth";

const CERTIFICATE_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

/** The project configuration with one environment changed (test-only variants). */
function withEnvironment(name: string, change: Partial<EnvironmentConfig>): ProjectConfig {
  return {
    ...projectConfig,
    environments: projectConfig.environments.map((env) => (env.name === name ? { ...env, ...change } : env)),
  };
}

const listenerPorts = (stack: SynthesizedStack) =>
  Object.values(resourcesOf(stack, "aws_lb_listener"))
    .map((l) => Number(l.port))
    .sort((a, b) => a - b);

describe("load balancer in the app stacks", () => {
  const stacks = synthProject();
  const dev = stacks["app-dev"];
  const prod = stacks["app-prod"];

  test.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: the ALB sits in the network's public subnets", (_name, stack) => {
    const alb = onlyResource(stack, "aws_lb");
    const subnets = alb.subnets as string[];
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    for (const subnet of subnets) {
      const { resource } = resolveRef(stack, subnet);
      expect(resource.map_public_ip_on_launch ?? false).toBe(false);
      expect(JSON.stringify(resource.tags ?? {})).toMatch(/public/i);
    }
  });

  test.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: access logs go to the storage construct's ALB log bucket, after its policy", (_name, stack) => {
    const alb = onlyResource(stack, "aws_lb");
    const logs = alb.access_logs as Resource;
    expect(logs).toMatchObject({ enabled: true, prefix: "alb" });
    const bucket = resolveRef(stack, logs.bucket);
    expect(bucket.type).toBe("aws_s3_bucket");
    const policies = Object.entries(resourcesOf(stack, "aws_s3_bucket_policy")).filter(([, p]) =>
      String(p.bucket).includes(bucket.name),
    );
    expect(policies).toHaveLength(1);
    expect(alb.depends_on).toContain(`aws_s3_bucket_policy.${policies[0][0]}`);
  });

  test.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: the ALB forwards only to the instance security group, on port 80", (_name, stack) => {
    const albGroup = resolveRef(stack, (onlyResource(stack, "aws_lb").security_groups as string[])[0]);
    const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter(
      (rule) => resolveRef(stack, rule.security_group_id).name === albGroup.name,
    );
    expect(egress).toHaveLength(1);
    expect(egress[0]).toMatchObject({ ip_protocol: "tcp", from_port: 80, to_port: 80 });
    const target = resolveRef(stack, egress[0].referenced_security_group_id);
    expect(target.type).toBe("aws_security_group");
    expect(target.name).toMatch(/beanstalk/);
    expect(egress[0].cidr_ipv4).toBeUndefined();
  });

  test("dev: plain HTTP only, no WAF, deletion protection off", () => {
    expect(listenerPorts(dev)).toEqual([80]);
    expect(onlyResource(dev, "aws_lb").enable_deletion_protection).toBe(false);
    expect(resourcesOf(dev, "aws_wafv2_web_acl")).toEqual({});
    expect(resourcesOf(dev, "aws_wafv2_web_acl_association")).toEqual({});
  });

  test("prod: WAF associated with the ALB and logged, deletion protection on", () => {
    expect(onlyResource(prod, "aws_lb").enable_deletion_protection).toBe(true);
    const association = onlyResource(prod, "aws_wafv2_web_acl_association");
    expect(resolveRef(prod, association.resource_arn).type).toBe("aws_lb");
    expect(onlyResource(prod, "aws_wafv2_web_acl_logging_configuration")).toBeDefined();
    const prodEnv = projectConfig.environments.find((e) => e.name === "prod") as EnvironmentConfig;
    const wafLogGroup = Object.values(resourcesOf(prod, "aws_cloudwatch_log_group")).find((g) =>
      String(g.name).startsWith("aws-waf-logs-"),
    );
    expect(wafLogGroup?.retention_in_days).toBe(prodEnv.logRetentionDays);
  });

  test.each([
    ["dev", dev],
    ["prod", prod],
  ])("%s: outputs the ALB DNS name", (_name, stack) => {
    const albName = Object.keys(resourcesOf(stack, "aws_lb"))[0];
    expect(stack.output?.alb_dns_name?.value).toBe(`\${aws_lb.${albName}.dns_name}`);
  });

  test("with a domain: certificate validated in the zone, HTTPS + redirect, alias record", () => {
    const domain = { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" };
    const stack = synthProject(withEnvironment("prod", { domain }))["app-prod"];
    expect(listenerPorts(stack)).toEqual([80, 443]);
    expect(onlyResource(stack, "aws_acm_certificate")).toMatchObject({
      domain_name: domain.domainName,
      validation_method: "DNS",
    });
    expect(onlyResource(stack, "aws_acm_certificate_validation")).toBeDefined();
    const records = Object.values(resourcesOf(stack, "aws_route53_record"));
    expect(records).toContainEqual(expect.objectContaining({ name: domain.domainName, type: "A" }));
  });

  test("with a certificate ARN: HTTPS on it + redirect, nothing created in Route 53", () => {
    const stack = synthProject(
      withEnvironment("dev", { certificateArn: CERTIFICATE_ARN, certificateHostName: "images.example.org" }),
    )["app-dev"];
    expect(listenerPorts(stack)).toEqual([80, 443]);
    const https = Object.values(resourcesOf(stack, "aws_lb_listener")).find((l) => l.port === 443);
    expect(https?.certificate_arn).toBe(CERTIFICATE_ARN);
    expect(resourcesOf(stack, "aws_route53_record")).toEqual({});
    // EB routes the certificate's host name to the app on the 443 listener (a shared ALB's rules are fixed at
    // creation: a request for an unrouted name would get the listener's 404).
    const environment = onlyResource(stack, "aws_elastic_beanstalk_environment");
    const hostHeaders = (environment.setting as Resource[]).filter((s) => s.name === "HostHeaders");
    // ...and EB's CNAME, which it adds to that rule itself (written out so the plan converges).
    expect(hostHeaders.map((s) => s.value)).toEqual([
      `images.example.org,${environment.cname_prefix}.eu-west-1.elasticbeanstalk.com`,
    ]);
  });
});

describe("listeners and the Beanstalk environment in the app stacks", () => {
  const dependsOnEveryListenerAndRule = (stack: SynthesizedStack) => {
    const env = onlyResource(stack, "aws_elastic_beanstalk_environment");
    const expected = [
      ...Object.keys(resourcesOf(stack, "aws_lb_listener")).map((name) => `aws_lb_listener.${name}`),
      ...Object.keys(resourcesOf(stack, "aws_lb_listener_rule")).map(
        (name) => `aws_lb_listener_rule.${name}`,
      ),
    ];
    expect(expected.length).toBeGreaterThan(0);
    const listenersAndRules = (env.depends_on as string[]).filter((d) =>
      /^aws_lb_listener(_rule)?\./.test(d),
    );
    expect(listenersAndRules.sort()).toEqual(expected.sort());
  };

  test("with TLS, port 80 has only a redirect (default action and a priority-1 catch-all rule)", () => {
    const stack = synthProject(
      withEnvironment("prod", {
        domain: undefined,
        certificateArn: CERTIFICATE_ARN,
        certificateHostName: "images.example.org",
      }),
    )["app-prod"];
    const http = Object.entries(resourcesOf(stack, "aws_lb_listener")).find(([, l]) => l.port === 80)!;
    const rules = Object.values(resourcesOf(stack, "aws_lb_listener_rule"));
    expect(rules).toHaveLength(1);
    expect(rules[0].listener_arn).toBe(`\${aws_lb_listener.${http[0]}.arn}`);
    expect(rules[0]).toMatchObject({ priority: 1, action: [{ type: "redirect" }] });
    expect((http[1].default_action as Resource[])[0].type).toBe("redirect");
    dependsOnEveryListenerAndRule(stack);
  });

  test("the environment is created after every listener and listener rule, with or without TLS", () => {
    const stacks = synthProject();
    dependsOnEveryListenerAndRule(stacks["app-dev"]);
    dependsOnEveryListenerAndRule(stacks["app-prod"]);
  });

  test("the shipped prod serves HTTPS on its (placeholder) domain; dev serves plain HTTP", () => {
    const stacks = synthProject();
    expect(listenerPorts(stacks["app-prod"])).toEqual([80, 443]);
    expect(onlyResource(stacks["app-prod"], "aws_acm_certificate").domain_name).toBe("images.example.com");
    expect(listenerPorts(stacks["app-dev"])).toEqual([80]);
  });
});
