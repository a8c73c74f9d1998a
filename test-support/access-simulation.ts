/**
 * For whole-stack tests: the decision AWS reaches on a request over every policy of a synthesized stack (identity,
 * bucket, key and VPC endpoint policies together), offline, with @cloud-copilot/iam-simulate (AGPL-3.0, a test-only
 * devDependency: nothing of it is shipped). References are replaced by concrete values first (concrete-values.ts).
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../constructs/policies/document";
import { ConcreteValues } from "./concrete-values";
import { Resource, SynthesizedStack, parsePolicy, resolveRef } from "./synth";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** The policies that take part in one request. */
export interface PolicySet {
  /** Identity policies of the caller (none for anonymous requests). */
  readonly identity: readonly { name: string; policy: PolicyDocument }[];
  /** Policy of the resource (bucket policy, key policy). */
  readonly resource?: PolicyDocument;
  /** Policies of the VPC endpoints the request passes through. */
  readonly endpoints?: readonly { name: string; policy: PolicyDocument }[];
}

export interface EvaluationRequest {
  /** Principal ARN, or "anonymous" for an unsigned request. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly accountId: string;
  readonly context: Readonly<Record<string, string | string[]>>;
}

export interface Evaluation {
  readonly decision: Decision;
  /** Context keys the simulator dropped because they do not apply to the action: a case relying on one is void. */
  readonly ignoredContextKeys: readonly string[];
  /** Condition keys removed before the simulation because iam-simulate cannot evaluate them (see above). */
  readonly strippedConditionKeys: readonly string[];
  /** Sids of the statements that denied the request (any policy type). */
  readonly denyingSids: readonly string[];
  /** Policy types that blocked a request the core policies allowed (`resource`, `vpce`, ...). */
  readonly blockedBy: readonly string[];
}

/**
 * Keys iam-simulate 0.1.173 cannot evaluate although AWS does: it matches templated keys only when the variable part
 * follows a `/` (`aws:ResourceTag/x`), not a `:` (`kms:EncryptionContext:aws:s3:arn`), and drops them from the
 * request. Such keys are removed from the request and from every policy condition before the simulation, and
 * reported in `strippedConditionKeys` so that a test states which property it leaves to another test.
 */
const COLON_TEMPLATED_KEY = /^kms:EncryptionContext:/i;

/** Runs one request through iam-simulate; a validation error (bad policy, unknown action or key) throws. */
export async function evaluate(request: EvaluationRequest, policies: PolicySet): Promise<Evaluation> {
  const anonymous = request.principal === "anonymous";
  const validated = Object.fromEntries(
    Object.entries(request.context).filter(([k]) => !COLON_TEMPLATED_KEY.test(k)),
  );
  const stripped = new Set<string>();
  const strip = (policy: PolicyDocument): PolicyDocument => ({
    ...policy,
    Statement: policy.Statement.map((statement) => {
      if (!statement.Condition) return statement;
      const condition = Object.fromEntries(
        Object.entries(statement.Condition).map(([operator, keys]) => [
          operator,
          Object.fromEntries(
            Object.entries(keys).filter(([k]) => !(COLON_TEMPLATED_KEY.test(k) && stripped.add(k))),
          ),
        ]),
      );
      return { ...statement, Condition: condition };
    }),
  });
  const simulation: Simulation = {
    request: {
      principal: anonymous ? { type: "Anonymous" } : request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: validated,
    },
    identityPolicies: anonymous
      ? []
      : policies.identity.map((p) => ({ name: p.name, policy: strip(p.policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policies.resource && strip(policies.resource),
    vpcEndpointPolicies: policies.endpoints?.map((p) => ({ name: p.name, policy: strip(p.policy) })),
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") {
    throw new Error(`iam-simulate rejected the simulation: ${JSON.stringify(response.errors, null, 1)}`);
  }
  if (response.resultType !== "single")
    throw new Error(`expected one concrete resource: ${request.resource}`);
  const analysis = response.result.analysis;
  const denyStatements = [
    analysis.identityAnalysis,
    analysis.resourceAnalysis,
    analysis.endpointAnalysis,
    analysis.permissionBoundaryAnalysis,
  ].flatMap((a) => a?.denyStatements ?? []);
  return {
    decision: response.overallResult,
    strippedConditionKeys: [...stripped],
    ignoredContextKeys: response.result.ignoredContextKeys ?? [],
    denyingSids: denyStatements.map((s) => s.explain.identifier),
    blockedBy: analysis.blockedBy ?? [],
  };
}

/** Reads the policies of one synthesized stack with every reference replaced by a concrete value. */
export class StackPolicies {
  readonly values: ConcreteValues;

  constructor(readonly stack: SynthesizedStack) {
    this.values = new ConcreteValues(stack);
  }

  /** Parses a synthesized policy string after resolving its references. */
  policy(text: unknown): PolicyDocument {
    if (typeof text !== "string") throw new Error(`policy is not a string: ${JSON.stringify(text)}`);
    return parsePolicy(this.values.resolve(text));
  }

  /** Concrete value of a `${type.name.attr}` reference or a literal. */
  value(expression: unknown): string {
    if (typeof expression !== "string") throw new Error(`not a string: ${JSON.stringify(expression)}`);
    return this.values.resolve(expression);
  }

  /** The resource a reference points to. */
  target(reference: unknown): { type: string; name: string; resource: Resource } {
    return resolveRef(this.stack, reference);
  }

  /** Policy of the bucket with this concrete name; fails when there is none. */
  bucketPolicy(bucketName: string): PolicyDocument {
    const matches = this.resources("aws_s3_bucket_policy").filter(
      ([, policy]) => this.value(policy.bucket) === bucketName,
    );
    if (matches.length !== 1) throw new Error(`expected one policy for bucket ${bucketName}`);
    return this.policy(matches[0][1].policy);
  }

  /**
   * Identity policies of a role: inline (`aws_iam_role_policy`) and attached customer-managed (`aws_iam_policy`).
   * AWS managed policies cannot be read offline: their ARNs are returned for the caller to judge.
   */
  rolePolicies(roleName: string): {
    inline: { name: string; policy: PolicyDocument }[];
    awsManagedArns: string[];
  } {
    const inline = this.resources("aws_iam_role_policy")
      .filter(([, p]) => this.value(p.role) === roleName)
      .map(([name, p]) => ({ name, policy: this.policy(p.policy) }));
    const awsManagedArns: string[] = [];
    for (const [name, attachment] of this.resources("aws_iam_role_policy_attachment")) {
      if (this.value(attachment.role) !== roleName) continue;
      const arn = attachment.policy_arn as string;
      if (arn.startsWith("arn:aws:iam::aws:policy/")) awsManagedArns.push(arn);
      else inline.push({ name, policy: this.policy(this.target(arn).resource.policy) });
    }
    return { inline, awsManagedArns };
  }

  /** Every resource of a type as [logical name, resource]. */
  resources(type: string): [string, Resource][] {
    return Object.entries(this.stack.resource?.[type] ?? {});
  }
}
