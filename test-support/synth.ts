/** Helpers for reading synthesized Terraform JSON in tests (kept outside __tests__ so jest does not run it). */
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { buildApp } from "../main";
import { ProjectConfig, projectConfig } from "../config";
import { PolicyDocument, PolicyStatement } from "../constructs/policies/document";
import { Resource, SynthesizedStack, resourcesOf } from "../tools/synthesized";

export type { Resource, SynthesizedStack } from "../tools/synthesized";
export { asList, resourcesOf } from "../tools/synthesized";

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

/** The single resource of one type; fails when there is not exactly one. */
export function onlyResource(stack: SynthesizedStack, type: string): Resource {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** `${type.name}` reference expression of a resource, as other resources use it. */
export function refOf(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** Follows a `${type.name.attr}` reference to the resource it names. */
export function resolveRef(
  stack: SynthesizedStack,
  reference: unknown,
): { type: string; name: string; resource: Resource } {
  const match =
    typeof reference === "string" ? /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z0-9_.[\]]+\}$/.exec(reference) : null;
  if (!match) throw new Error(`not a resource reference: ${JSON.stringify(reference)}`);
  const [, type, name] = match;
  const resource = stack.resource?.[type]?.[name];
  if (!resource) throw new Error(`reference to a missing resource: ${reference}`);
  return { type, name, resource };
}

/** Parses a JSON policy string and checks its shape. */
export function parsePolicy(policy: unknown): PolicyDocument {
  if (typeof policy !== "string") throw new Error(`policy is not a JSON string: ${JSON.stringify(policy)}`);
  const document = JSON.parse(policy) as PolicyDocument;
  if (document.Version !== "2012-10-17" || !Array.isArray(document.Statement)) {
    throw new Error(`not a policy document: ${policy.slice(0, 200)}`);
  }
  return document;
}

/** One statement of a policy by Sid; fails when it is missing. */
export function statementBySid(policy: unknown, sid: string): PolicyStatement {
  const statement = parsePolicy(policy).Statement.find((s) => s.Sid === sid);
  if (!statement) throw new Error(`no statement with Sid ${sid}`);
  return statement;
}
