import { App, Fn, Lazy } from "cdktf";

/**
 * A JSON document as a Terraform string attribute (policies, dashboard bodies).
 *
 * The synthesized Terraform JSON gets the JSON text itself (readable to tests and scanners). The HCL export
 * (`cdktf synth --hcl`) gets Terraform's `jsonencode` of the same value instead: cdktf's HCL renderer writes a
 * string that holds references (`${...}`) without escaping its quotes, which Terraform rejects.
 * The value is a snapshot: changes to the caller's objects after this call do not show.
 */
export function jsonText(value: unknown): string {
  const snapshot: unknown = JSON.parse(JSON.stringify(value));
  return Lazy.stringValue({
    produce: (context) =>
      App.of(context.scope).hclOutput ? Fn.jsonencode(snapshot) : JSON.stringify(snapshot),
  });
}
