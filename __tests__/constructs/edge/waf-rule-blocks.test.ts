import { Testing } from "cdktf";
import { Construct } from "constructs";
import { Wafv2WebAcl, Wafv2WebAclConfig, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { wafRuleBlocks } from "../../../constructs/edge/waf-rule-blocks";
import { hclOfConstruct } from "../../../test-support/synth";

const visibility = { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "m" };

/** Every shape a statement has: nested and empty blocks, a repeated block, string, number and list arguments. */
const rules: Wafv2WebAclRule[] = [
  {
    name: "rate",
    priority: 1,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: 300,
        aggregate_key_type: "IP",
        scope_down_statement: { geo_match_statement: { country_codes: ["NL", "BE"] } },
      },
    },
    visibilityConfig: visibility,
  },
  {
    name: "admin-path",
    priority: 2,
    action: { count: {} },
    statement: {
      byte_match_statement: {
        positional_constraint: "STARTS_WITH",
        search_string: "/admin",
        field_to_match: { uri_path: {} },
        text_transformation: [
          { priority: 0, type: "URL_DECODE" },
          { priority: 1, type: "LOWERCASE" },
        ],
      },
    },
    visibilityConfig: visibility,
  },
];

function webAcl(rule: Wafv2WebAclConfig["rule"]) {
  return (scope: Construct) =>
    new Wafv2WebAcl(scope, "acl", {
      name: "acl",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule,
      visibilityConfig: visibility,
    });
}

describe("wafRuleBlocks", () => {
  test("the synthesized JSON is exactly what the bindings write for the same rules", () => {
    expect(Testing.synthScope(webAcl(wafRuleBlocks(rules)))).toEqual(Testing.synthScope(webAcl(rules)));
  });

  test("without it, the HCL export writes a statement as an attribute, which Terraform rejects", () => {
    expect(hclOfConstruct(webAcl(rules))).toContain("statement = {");
  });

  test("the HCL export writes every statement as the nested blocks of the schema, arguments as arguments", () => {
    const hcl = hclOfConstruct(webAcl(wafRuleBlocks(rules)));
    expect(hcl).not.toMatch(/statement = /);
    expect(hcl).toContain(
      'statement { rate_based_statement { limit = 300 aggregate_key_type = "IP" ' +
        'scope_down_statement { geo_match_statement { country_codes = [ "NL", "BE" ] } } } }',
    );
    expect(hcl).toContain(
      'statement { byte_match_statement { positional_constraint = "STARTS_WITH" search_string = "/admin" ' +
        'field_to_match { uri_path { } } text_transformation { priority = 0 type = "URL_DECODE" } ' +
        'text_transformation { priority = 1 type = "LOWERCASE" } } }',
    );
  });

  test("the rest of each rule is still written by the bindings", () => {
    expect(hclOfConstruct(webAcl(wafRuleBlocks(rules)))).toContain(
      'rule { name = "rate" priority = 1 action { block { } } statement {',
    );
  });

  test("an empty list in a statement fails: it could mean no blocks or an empty argument", () => {
    const ambiguous = [{ ...rules[0], statement: { geo_match_statement: { country_codes: [] } } }];
    expect(() => hclOfConstruct(webAcl(wafRuleBlocks(ambiguous)))).toThrow(
      "WAF rule statement: an empty list is ambiguous",
    );
  });
});
