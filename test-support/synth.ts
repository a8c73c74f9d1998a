/** Helpers for reading synthesized Terraform JSON in tests (kept outside __tests__ so jest does not run it). */
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { buildApp } from "../main";
import { ProjectConfig, projectConfig } from "../config";
import { PolicyStatement } from "../constructs/policies/document";
import { Resource, SynthesizedStack, parsePolicy, resourcesOf } from "../shared/synthesized";

export type { Resource, SynthesizedStack } from "../shared/synthesized";
export { asList, parsePolicy, refOf, resolveRef, resourcesOf } from "../shared/synthesized";

/** Synthesizes one stack to parsed JSON. */
export function synthStack(stack: TerraformStack): SynthesizedStack {
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}

/** Builds the whole app (every stack) from a configuration; returns the stacks by name. */
export function synthProject(config: ProjectConfig = projectConfig): Record<string, SynthesizedStack> {
  const app = buildApp(Testing.app({ enableFutureFlags: true }) as App, config);
  const stacks: Record<string, SynthesizedStack> = {};
  for (const child of app.node.children) {
    if (child instanceof TerraformStack) stacks[child.node.id] = synthStack(child);
  }
  return stacks;
}

/** A fresh stack for testing one construct; the callback receives it to add constructs. */
export function synthConstruct(build: (scope: Construct) => void): SynthesizedStack {
  return JSON.parse(Testing.synthScope((scope) => build(scope))) as SynthesizedStack;
}

/**
 * The HCL export (`cdktf synth --hcl`) of a fresh stack, whitespace runs folded to one space so tests can match
 * nested blocks on one line; the callback receives the stack to add constructs.
 */
export function hclOfConstruct(build: (scope: Construct) => void): string {
  const outdir = path.join(os.tmpdir(), "hcl-of-construct");
  const stack = new TerraformStack(new App({ hclOutput: true, skipValidation: true, outdir }), "test");
  build(stack);
  return (stack.toHclTerraform().hcl as string).replace(/\s+/g, " ");
}

/** The single resource of one type; fails when there is not exactly one. */
export function onlyResource(stack: SynthesizedStack, type: string): Resource {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** One statement of a policy by Sid; fails when it is missing. */
export function statementBySid(policy: unknown, sid: string): PolicyStatement {
  const statement = parsePolicy(policy).Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement with Sid ${sid}`);
  return statement;
}
