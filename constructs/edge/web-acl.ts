import { Construct } from "constructs";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { wafRuleBlocks } from "./waf-rule-blocks";
import { addEncryptedLogGroup } from "../operations/encrypted-log-group";

/** What the caller of a web ACL chooses. */
export interface WebAclSettings {
  /**
   * Requests one client IP may send in 5 minutes before the rate-based rule blocks it (WAF accepts 10 to
   * 2,000,000,000). 1000 is about 3 requests a second sustained: far above what one person browsing images sends.
   * @default 1000
   */
  readonly rateLimitPerFiveMinutes?: number;
  /** Days the WAF logs (CloudWatch Logs) are kept; one of the values CloudWatch accepts. */
  readonly logRetentionDays: number;
  /** Account of the log group and its KMS key (a token is fine). */
  readonly accountId: string;
  /** Region of the protected resource; names the CloudWatch Logs service principal in the key policy. */
  readonly region: string;
  /** Role allowed to administer the WAF log key. @default no extra administrator (IAM of the account decides) */
  readonly keyAdministratorRoleArn?: string;
}

export interface WebAclProps extends WebAclSettings {
  /** Prefix of names and metric names, e.g. `imageshare-prod`. */
  readonly namePrefix: string;
  /** ARN of the regional resource the web ACL protects (the load balancer). */
  readonly resourceArn: string;
}

/** Secure defaults, in one place. */
const DEFAULTS = { rateLimitPerFiveMinutes: 1000 } as const;

/** The metrics and samples of one rule, or of the whole web ACL. */
function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/** AWS core and known-bad-inputs rule sets and a per-IP rate limit, every rule measured. */
export function webAclRules(namePrefix: string, rateLimitPerFiveMinutes: number): Wafv2WebAclRule[] {
  // `statement` is untyped in the provider bindings and passes through as written: snake_case keys.
  return [
    {
      name: "rate-limit-per-ip",
      priority: 10,
      action: { block: {} },
      statement: {
        rate_based_statement: {
          limit: rateLimitPerFiveMinutes,
          aggregate_key_type: "IP",
          evaluation_window_sec: 300,
        },
      },
      visibilityConfig: visibility(`${namePrefix}-rate-limit-per-ip`),
    },
    {
      name: "aws-common-rule-set",
      priority: 20,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: "AWSManagedRulesCommonRuleSet",
          // SizeRestrictions_BODY blocks every body over 8 KB, i.e. every image upload. Count it instead; the
          // upload size limit is enforced by nginx and the app.
          // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
          rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
        },
      },
      visibilityConfig: visibility(`${namePrefix}-aws-common-rule-set`),
    },
    {
      name: "aws-known-bad-inputs",
      priority: 30,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
      },
      visibilityConfig: visibility(`${namePrefix}-aws-known-bad-inputs`),
    },
  ];
}

/**
 * A regional WAFv2 web ACL in front of one resource, logged to a CloudWatch Logs group with its own key. The
 * resources are added to `scope` (the load balancer), not to a construct of their own: a new scope would change
 * their Terraform addresses, and every deployed stack would replace its web ACL, log key and log group.
 */
export function addWebAcl(scope: Construct, props: WebAclProps): Wafv2WebAcl {
  const { namePrefix } = props;
  const webAcl = new Wafv2WebAcl(scope, "web-acl", {
    name: `${namePrefix}-web-acl`,
    description: "Managed rule sets and a per-IP rate limit in front of the app load balancer",
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    // Nested blocks in the HCL export, where the bindings would write the untyped `statement` as an attribute.
    rule: wafRuleBlocks(
      webAclRules(namePrefix, props.rateLimitPerFiveMinutes ?? DEFAULTS.rateLimitPerFiveMinutes),
    ),
    visibilityConfig: visibility(`${namePrefix}-web-acl`),
  });
  new Wafv2WebAclAssociation(scope, "web-acl-association", {
    resourceArn: props.resourceArn,
    webAclArn: webAcl.arn,
  });

  // WAF only delivers to log groups whose name starts with aws-waf-logs-.
  const { group: logGroup } = addEncryptedLogGroup(scope, {
    ids: { key: "waf-log-key", group: "waf-log-group" },
    name: `aws-waf-logs-${namePrefix}`,
    keyDescription: `Encrypts the WAF logs of ${namePrefix}`,
    keyAlias: `alias/${namePrefix}-waf-logs`,
    region: props.region,
    accountId: props.accountId,
    retentionDays: props.logRetentionDays,
    keyAdministratorRoleArn: props.keyAdministratorRoleArn,
  });
  new Wafv2WebAclLoggingConfiguration(scope, "web-acl-logging", {
    resourceArn: webAcl.arn,
    logDestinationConfigs: [logGroup.arn],
    // Session cookies and credentials do not belong in logs.
    redactedFields: [{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }],
  });
  return webAcl;
}
