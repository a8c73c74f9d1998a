/**
 * Replaces the `${...}` references of a synthesized stack with concrete values, as Terraform would at apply time,
 * so that policy text can be evaluated offline: account `111122223333`, the stack's region, bucket names, and
 * deterministic ids/ARNs for endpoints, roles, keys and network resources (derived from the logical name, so two
 * resources never share one). An expression this resolver has no rule for fails loudly instead of staying opaque.
 */
import { createHash } from "crypto";
import { SynthesizedStack, parseExpression } from "../shared/synthesized";

export const TEST_ACCOUNT_ID = "111122223333";

/** Id prefixes of the AWS resources the network and policy tests name. */
const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_route_table: "rtb",
  aws_internet_gateway: "igw",
  aws_nat_gateway: "nat",
  aws_security_group: "sg",
  aws_network_acl: "acl",
  aws_vpc_endpoint: "vpce",
  aws_flow_log: "fl",
};

function digest(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A UUID-shaped id derived from a logical name (KMS key ids look like this). */
function uuidOf(text: string): string {
  const hex = digest(text, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Resolves references of one synthesized stack. */
export class ConcreteValues {
  readonly accountId = TEST_ACCOUNT_ID;
  readonly region: string;

  constructor(private readonly stack: SynthesizedStack) {
    const provider = stack.provider?.aws?.[0] as { region?: string } | undefined;
    if (!provider?.region) throw new Error("concrete-values: the stack has no aws provider region");
    this.region = provider.region;
  }

  /** Replaces every `${...}` in a string (Terraform's `$${` escape stays a literal `${`, an IAM policy variable). */
  resolve(text: string): string {
    return text.replace(/(\$?)\$\{([^}]*)\}/g, (whole, escape: string, expression: string) =>
      escape ? whole.slice(1) : this.expression(expression),
    );
  }

  /** A resource attribute given by type, logical name and attribute. */
  attribute(type: string, name: string, attribute: string): string {
    const resource = this.stack.resource?.[type]?.[name];
    if (!resource) throw new Error(`concrete-values: no resource ${type}.${name}`);
    const literal = (key: string): string | undefined =>
      typeof resource[key] === "string" ? this.resolve(resource[key] as string) : undefined;
    const id = `${type}.${name}`;
    const account = this.accountId;
    const region = this.region;
    switch (`${type}.${attribute}`) {
      case "aws_s3_bucket.id":
      case "aws_s3_bucket.bucket":
        return literal("bucket") ?? `bucket-${digest(id, 12)}`;
      case "aws_s3_bucket.arn":
        return `arn:aws:s3:::${this.attribute(type, name, "bucket")}`;
      case "aws_iam_role.id":
      case "aws_iam_role.name":
      case "aws_iam_instance_profile.id":
      case "aws_iam_instance_profile.name":
        return literal("name") ?? `${name.slice(0, 40)}-${digest(id, 8)}`;
      case "aws_iam_role.arn":
        return `arn:aws:iam::${account}:role${literal("path") ?? "/"}${this.attribute(type, name, "name")}`;
      case "aws_iam_instance_profile.arn":
        return `arn:aws:iam::${account}:instance-profile${literal("path") ?? "/"}${this.attribute(type, name, "name")}`;
      case "aws_iam_policy.arn":
        return `arn:aws:iam::${account}:policy${literal("path") ?? "/"}${literal("name") ?? digest(id, 8)}`;
      case "aws_kms_key.id":
      case "aws_kms_key.key_id":
        return uuidOf(id);
      case "aws_kms_key.arn":
        return `arn:aws:kms:${region}:${account}:key/${uuidOf(id)}`;
      case "aws_kms_alias.name":
        return literal("name") ?? `alias/${name}`;
      case "aws_kms_alias.arn":
        return `arn:aws:kms:${region}:${account}:${this.attribute(type, name, "name")}`;
      case "aws_cloudwatch_log_group.name":
        return literal("name") ?? `log-group-${digest(id, 8)}`;
      case "aws_cloudwatch_log_group.arn":
        return `arn:aws:logs:${region}:${account}:log-group:${this.attribute(type, name, "name")}`;
      case "aws_vpc_endpoint.prefix_list_id":
        return `pl-${digest(id, 8)}`;
      case "aws_vpc.cidr_block":
      case "aws_subnet.cidr_block":
        return literal("cidr_block") ?? "";
      case "aws_lb.arn":
      case "aws_lb.id":
        return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${literal("name") ?? name}/${digest(id, 16)}`;
      case "aws_lb_listener.arn":
        return `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/${digest(id, 16)}`;
      case "aws_elastic_beanstalk_application.name":
      case "aws_elastic_beanstalk_environment.name":
        return literal("name") ?? name;
      case "aws_sns_topic.arn":
      case "aws_sns_topic.id":
        return `arn:aws:sns:${region}:${account}:${literal("name") ?? name}`;
      case "aws_elastic_beanstalk_application.arn":
        return `arn:aws:elasticbeanstalk:${region}:${account}:application/${this.attribute(type, name, "name")}`;
    }
    if (attribute === "id" && ID_PREFIX[type]) return `${ID_PREFIX[type]}-${digest(id, 17)}`;
    throw new Error(`concrete-values: no rule for ${type}.${attribute} (${id})`);
  }

  private expression(expression: string): string {
    // Only plain references (`aws_x.name.attr`, `data.aws_x.name.attr`); functions and locals are not resolved.
    const reference = parseExpression(expression);
    if (!reference) throw new Error(`concrete-values: cannot resolve the expression \${${expression}}`);
    const { data, type, name, attribute } = reference;
    if (!data) return this.attribute(type, name, attribute);
    switch (`${type}.${attribute}`) {
      case "aws_caller_identity.account_id":
        return this.accountId;
      case "aws_region.name":
      case "aws_region.region":
        return this.region;
      case "aws_partition.partition":
        return "aws";
    }
    throw new Error(`concrete-values: no rule for data.${type}.${attribute}`);
  }
}
