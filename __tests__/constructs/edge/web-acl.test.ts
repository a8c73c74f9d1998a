import { Testing } from "cdktf";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { WebAclProps, addWebAcl } from "../../../constructs/edge/web-acl";
import {
  Resource,
  SynthesizedStack,
  hclOfConstruct,
  onlyResource,
  refOf,
  resolveRef,
  resourcesOf,
  statementBySid,
} from "../../../test-support/synth";

const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/imageshare-test-alb/1";
const base: WebAclProps = {
  namePrefix: "imageshare-test",
  resourceArn: ALB_ARN,
  logRetentionDays: 365,
  accountId: "123456789012",
  region: "eu-west-1",
};

function synthWebAcl(props: Partial<WebAclProps> = {}) {
  const json = Testing.synthScope((scope) => {
    addWebAcl(scope, { ...base, ...props });
  });
  return { json, parsed: JSON.parse(json) as SynthesizedStack };
}

const { json, parsed } = synthWebAcl();

describe("addWebAcl", () => {
  const acl = () => onlyResource(parsed, "aws_wafv2_web_acl");
  const rule = (name: string) => {
    const found = (acl().rule as Resource[]).find((r) => r.name === name);
    if (!found) throw new Error(`no WAF rule ${name}`);
    return found;
  };
  const visible = (metricName: string) => ({
    cloudwatch_metrics_enabled: true,
    sampled_requests_enabled: true,
    metric_name: metricName,
  });

  test("is a regional web ACL that allows by default and measures itself", () => {
    expect(acl()).toMatchObject({
      scope: "REGIONAL",
      default_action: { allow: {} },
      visibility_config: visible("imageshare-test-web-acl"),
    });
    expect(acl().rule).toHaveLength(3);
  });

  test("blocks one IP above the rate limit (1000 per 5 minutes by default, configurable)", () => {
    expect(rule("rate-limit-per-ip")).toEqual({
      name: "rate-limit-per-ip",
      priority: 10,
      action: { block: {} },
      statement: {
        rate_based_statement: { limit: 1000, aggregate_key_type: "IP", evaluation_window_sec: 300 },
      },
      visibility_config: visible("imageshare-test-rate-limit-per-ip"),
    });
    const custom = onlyResource(synthWebAcl({ rateLimitPerFiveMinutes: 300 }).parsed, "aws_wafv2_web_acl");
    expect((custom.rule as Resource[])[0].statement).toMatchObject({
      rate_based_statement: { limit: 300 },
    });
  });

  test("applies the AWS core rule set, counting only the 8 KB body-size rule so uploads work", () => {
    expect(rule("aws-common-rule-set")).toEqual({
      name: "aws-common-rule-set",
      priority: 20,
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: "AWSManagedRulesCommonRuleSet",
          rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
        },
      },
      visibility_config: visible("imageshare-test-aws-common-rule-set"),
    });
  });

  test("applies the AWS known-bad-inputs rule set", () => {
    expect(rule("aws-known-bad-inputs")).toEqual({
      name: "aws-known-bad-inputs",
      priority: 30,
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
      },
      visibility_config: visible("imageshare-test-aws-known-bad-inputs"),
    });
  });

  test("the HCL export writes the rule statements as blocks (Terraform rejects `statement = {...}`)", () => {
    const hcl = hclOfConstruct((scope) => addWebAcl(scope, base));
    expect(hcl).not.toMatch(/statement = /);
    expect(hcl).toContain(
      'statement { rate_based_statement { limit = 1000 aggregate_key_type = "IP" evaluation_window_sec = 300 } }',
    );
    expect(hcl).toContain(
      'statement { managed_rule_group_statement { vendor_name = "AWS" name = "AWSManagedRulesCommonRuleSet" ' +
        'rule_action_override { name = "SizeRestrictions_BODY" action_to_use { count { } } } } }',
    );
    expect(hcl).toContain(
      'statement { managed_rule_group_statement { vendor_name = "AWS" name = "AWSManagedRulesKnownBadInputsRuleSet" } }',
    );
  });

  test("is associated with the resource it protects", () => {
    const association = onlyResource(parsed, "aws_wafv2_web_acl_association");
    expect(association.resource_arn).toBe(ALB_ARN);
    expect(resolveRef(parsed, association.web_acl_arn).type).toBe("aws_wafv2_web_acl");
  });

  test("logs to an aws-waf-logs- group, encrypted with its own key, with retention, cookies redacted", () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "aws-waf-logs-imageshare-test",
      retention_in_days: 365,
    });
    const logGroup = onlyResource(parsed, "aws_cloudwatch_log_group");
    const key = resolveRef(parsed, logGroup.kms_key_id).resource;
    expect(statementBySid(key.policy, "AllowCloudWatchLogsForOneLogGroup")).toMatchObject({
      Principal: { Service: "logs.eu-west-1.amazonaws.com" },
      Condition: {
        ArnEquals: {
          "kms:EncryptionContext:aws:logs:arn":
            "arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-imageshare-test",
        },
      },
    });
    const logging = onlyResource(parsed, "aws_wafv2_web_acl_logging_configuration");
    expect(resolveRef(parsed, logging.resource_arn).type).toBe("aws_wafv2_web_acl");
    expect(logging.log_destination_configs).toEqual([
      refOf(
        "aws_cloudwatch_log_group",
        Object.keys(resourcesOf(parsed, "aws_cloudwatch_log_group"))[0],
        "arn",
      ),
    ]);
    expect(json).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, {
      redacted_fields: [{ single_header: { name: "cookie" } }, { single_header: { name: "authorization" } }],
    });
  });
});
