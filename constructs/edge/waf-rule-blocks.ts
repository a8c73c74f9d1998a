import { App, IResolvable, Lazy } from "cdktf";
import {
  Wafv2WebAclRule,
  wafv2WebAclRuleToHclTerraform,
  wafv2WebAclRuleToTerraform,
} from "@cdktf/provider-aws/lib/wafv2-web-acl";

/** A value inside a rule's `statement`, written with the provider's snake_case names. */
type StatementValue = string | number | boolean | readonly StatementValue[] | StatementBody;
interface StatementBody {
  readonly [name: string]: StatementValue | undefined;
}

/**
 * The `rule` blocks of a `Wafv2WebAcl`, for its `rule` property.
 *
 * The provider bindings type a rule's `statement` as `any`: the synthesized JSON gets it as written (Terraform's JSON
 * syntax reads objects as blocks), but cdktf's HCL renderer writes it as an attribute, `statement = {...}`, which
 * Terraform rejects. So the HCL export (`cdktf synth --hcl`) gets the statement as the nested blocks the schema has;
 * every other part of a rule goes through the bindings' own mapping, as it would without this function.
 * The rules are read at synthesis, like the bindings read theirs.
 */
export function wafRuleBlocks(rules: readonly Wafv2WebAclRule[]): IResolvable {
  return Lazy.anyValue({
    produce: (context) =>
      App.of(context.scope).hclOutput
        ? rules.map((rule) => ({
            ...wafv2WebAclRuleToHclTerraform(rule),
            statement: hclArgument(rule.statement),
          }))
        : rules.map((rule) => wafv2WebAclRuleToTerraform(rule)),
  });
}

/**
 * One argument in the form cdktf's HCL renderer reads from the typed bindings. In the web ACL schema every object in
 * a statement is a nested block and every list of objects is a repeated block; arguments are strings, numbers and
 * lists of them (provider 5.100.0, `terraform providers schema -json`: no other attribute type under `statement`;
 * source: internal/service/wafv2/schemas.go of hashicorp/terraform-provider-aws).
 */
function hclArgument(value: StatementValue): object {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new Error(
        "WAF rule statement: an empty list is ambiguous (no blocks, or an empty argument); leave it out",
      );
    }
    if (value.every(isBody)) {
      return { value: value.map(hclBody), isBlock: true, type: "list", storageClassType: "list" };
    }
    const storageClassType = typeof value[0] === "number" ? "numberList" : "stringList";
    return { value, isBlock: false, type: "list", storageClassType };
  }
  if (isBody(value)) return { value: hclBody(value), isBlock: true, type: "list", storageClassType: "list" };
  return { value, isBlock: false, type: "simple", storageClassType: typeof value };
}

function hclBody(body: StatementBody): Record<string, object> {
  const entries = Object.entries(body).filter(
    (entry): entry is [string, StatementValue] => entry[1] !== undefined,
  );
  return Object.fromEntries(entries.map(([name, value]) => [name, hclArgument(value)]));
}

function isBody(value: StatementValue): value is StatementBody {
  return typeof value === "object" && !Array.isArray(value);
}
