/**
 * `make demo` security summary: the project's headline claims, re-checked on the synthesized JSON of each app
 * stack. The jest suites prove each claim in depth; this prints them so a reviewer sees them without reading tests.
 */
import { PolicyDocument } from "../constructs/policies/document";
import {
  FORBIDDEN_GATEWAY_TYPES,
  Resource,
  SynthesizedStack,
  admitsEverythingFromAnywhere,
  appComputeOf,
  asList,
  instanceSubnetNames,
  isDefaultRoute,
  parsePolicy,
  referencedName,
  resourcesOf,
  routeTableOfSubnet,
  routesOfTable,
} from "../shared/synthesized";

export interface SecurityClaim {
  readonly claim: string;
  readonly ok: boolean;
  readonly detail: string;
}

const BLOCKS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

function count(stack: SynthesizedStack, type: string): number {
  return Object.keys(resourcesOf(stack, type)).length;
}

/** Names of buckets (by logical name) that a per-bucket resource of `type` refers to and that pass `check`. */
function bucketsWith(stack: SynthesizedStack, type: string, check: (r: Resource) => boolean): Set<string> {
  const names = new Set<string>();
  for (const resource of Object.values(resourcesOf(stack, type))) {
    const bucket = referencedName(resource.bucket, "aws_s3_bucket");
    if (bucket && check(resource)) names.add(bucket);
  }
  return names;
}

function policyOf(resource: Resource): PolicyDocument | undefined {
  return typeof resource.policy === "string" ? parsePolicy(resource.policy) : undefined;
}

function instanceRouting(stack: SynthesizedStack): SecurityClaim {
  const subnets = instanceSubnetNames(stack);
  const problems: string[] = [];
  for (const subnet of subnets) {
    const table = routeTableOfSubnet(stack, subnet);
    if (!table) problems.push(`${subnet} uses the main route table`);
    else if (routesOfTable(stack, table).some(isDefaultRoute)) problems.push(`${subnet} has a default route`);
  }
  return {
    claim: "instance subnets have no route to the internet (no 0.0.0.0/0 or ::/0)",
    ok: subnets.length > 0 && problems.length === 0,
    detail: problems.join("; ") || `${subnets.length} instance subnets, 0 default routes`,
  };
}

function buckets(stack: SynthesizedStack): SecurityClaim[] {
  const all = Object.keys(resourcesOf(stack, "aws_s3_bucket"));
  const blocked = bucketsWith(stack, "aws_s3_bucket_public_access_block", (r) =>
    BLOCKS.every((b) => r[b] === true),
  );
  const encrypted = bucketsWith(stack, "aws_s3_bucket_server_side_encryption_configuration", () => true);
  const tlsOnly = bucketsWith(stack, "aws_s3_bucket_policy", (r) =>
    (policyOf(r)?.Statement ?? []).some(
      (s) =>
        s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
    ),
  );
  const claim = (text: string, passing: Set<string>): SecurityClaim => {
    const missing = all.filter((name) => !passing.has(name));
    return {
      claim: text,
      ok: all.length > 0 && missing.length === 0,
      detail: missing.length ? `missing on ${missing.join(", ")}` : `${all.length}/${all.length} buckets`,
    };
  };
  return [
    claim("every bucket blocks all four kinds of public access", blocked),
    claim("every bucket has explicit default encryption", encrypted),
    claim("every bucket denies requests without TLS", tlsOnly),
  ];
}

function iamWildcards(stack: SynthesizedStack): SecurityClaim {
  const offenders: string[] = [];
  for (const type of ["aws_iam_role_policy", "aws_iam_policy"]) {
    for (const [name, resource] of Object.entries(resourcesOf(stack, type))) {
      const allows = (policyOf(resource)?.Statement ?? []).filter((s) => s.Effect === "Allow");
      if (allows.some((s) => asList(s.Action).some((a) => a === "*" || a.endsWith(":*"))))
        offenders.push(name);
    }
  }
  return {
    claim: "no IAM policy of ours allows a wildcard action",
    ok: offenders.length === 0,
    detail: offenders.length
      ? offenders.join(", ")
      : `${count(stack, "aws_iam_role_policy") + count(stack, "aws_iam_policy")} policies checked`,
  };
}

/** The app's machines, wherever the compute runs them (found through the seam; an unknown compute throws). */
function compute(stack: SynthesizedStack): SecurityClaim[] {
  const found = appComputeOf(stack);
  const imds = found.requiresImdsV2 !== false;
  return [
    {
      claim: "the app's machines get no public IP and require IMDSv2 (where they have instance metadata)",
      ok: !found.assignsPublicIp && imds && !found.platformSecurityGroup,
      detail: `${found.kind} compute: ${found.runtime.join(", ")}`,
    },
  ];
}

/** The alarms, listed by name, and whether each notifies a topic encrypted with a customer managed key. */
function alarmNotifications(stack: SynthesizedStack): SecurityClaim {
  const encryptedTopics = Object.entries(resourcesOf(stack, "aws_sns_topic"))
    .filter(([, topic]) => /^\$\{aws_kms_key\.[^.]+\.arn\}$/.test(String(topic.kms_master_key_id)))
    .map(([name]) => `\${aws_sns_topic.${name}.arn}`);
  const alarms = Object.values(resourcesOf(stack, "aws_cloudwatch_metric_alarm"));
  const silent = alarms.filter(
    (alarm) => !asList(alarm.alarm_actions as string[]).some((action) => encryptedTopics.includes(action)),
  );
  return {
    claim: "every alarm notifies a topic encrypted with a customer managed key",
    ok: alarms.length > 0 && silent.length === 0,
    detail: silent.length
      ? `not notifying: ${silent.map((a) => a.alarm_name).join(", ")}`
      : alarms.map((a) => a.alarm_name).join(", "),
  };
}

/** Whom the alarms reach: an email subscription, or nobody. */
export function alarmRecipientNotice(stack: SynthesizedStack): string {
  const emails = Object.values(resourcesOf(stack, "aws_sns_topic_subscription")).filter(
    (s) => s.protocol === "email",
  );
  return emails.length
    ? `alarms and budget alerts go to ${emails.map((s) => s.endpoint).join(", ")}`
    : "alarms and budget alerts reach nobody: set operations.alarmEmail in config";
}

/** Every headline claim for one synthesized app stack. */
export function securityClaims(stack: SynthesizedStack): SecurityClaim[] {
  const gateways = FORBIDDEN_GATEWAY_TYPES.filter((type) => count(stack, type) > 0);
  const interfaceEndpoints = Object.values(resourcesOf(stack, "aws_vpc_endpoint")).filter(
    (e) => e.vpc_endpoint_type === "Interface",
  );
  const keys = Object.values(resourcesOf(stack, "aws_kms_key"));
  const openNaclRules = [
    ...Object.values(resourcesOf(stack, "aws_network_acl")).flatMap((acl) =>
      asList(acl.ingress as Resource[]),
    ),
    ...Object.values(resourcesOf(stack, "aws_network_acl_rule")).filter((r) => r.egress !== true),
  ].filter(admitsEverythingFromAnywhere);
  const albs = Object.values(resourcesOf(stack, "aws_lb"));
  return [
    instanceRouting(stack),
    {
      claim: "no NAT, egress-only, VPN, peering or transit gateway, no bare EC2 instance",
      ok: gateways.length === 0,
      detail: gateways.length ? gateways.join(", ") : "none",
    },
    {
      claim: "every interface endpoint has private DNS",
      ok: interfaceEndpoints.length > 0 && interfaceEndpoints.every((e) => e.private_dns_enabled === true),
      detail: `${interfaceEndpoints.length} interface endpoints`,
    },
    ...buckets(stack),
    {
      claim: "every KMS key rotates",
      ok: keys.length > 0 && keys.every((k) => k.enable_key_rotation === true),
      detail: `${keys.filter((k) => k.enable_key_rotation === true).length}/${keys.length} keys`,
    },
    iamWildcards(stack),
    {
      claim: "no NACL rule admits everything from anywhere",
      ok: openNaclRules.length === 0,
      detail: `${openNaclRules.length} such rules`,
    },
    {
      claim: "the load balancer drops invalid headers",
      ok: albs.length > 0 && albs.every((lb) => lb.drop_invalid_header_fields === true),
      detail: `${albs.length} load balancer(s)`,
    },
    ...compute(stack),
    alarmNotifications(stack),
  ];
}

/** Plain HTTP is dev's default (prod needs a domain, or allowPlainHttp) and must never go unnoticed. */
export function tlsNotice(stack: SynthesizedStack): string {
  const https = Object.values(resourcesOf(stack, "aws_lb_listener")).some((l) => l.protocol === "HTTPS");
  return https
    ? "HTTPS on 443 (HTTP redirects)"
    : "plain HTTP only: set a domain or certificateArn in config before real use (README, TLS)";
}

/** Printable lines for one stack. */
export function securityLines(stackName: string, stack: SynthesizedStack): string[] {
  const claims = securityClaims(stack);
  const failed = claims.filter((c) => !c.ok).length;
  return [
    `${stackName}: ${failed === 0 ? "all security claims hold" : `${failed} SECURITY CLAIM(S) FAIL`}`,
    ...claims.map((c) => `  ${c.ok ? "ok  " : "FAIL"}  ${c.claim} (${c.detail})`),
    `  note  ${tlsNotice(stack)}`,
    `  note  ${alarmRecipientNotice(stack)}`,
  ];
}
