import {
  Resource,
  SynthesizedStack,
  asList,
  parsePolicy,
  refOf,
  resolveRef,
  resourcesOf,
  statementBySid,
  synthProject,
} from "../../test-support/synth";
import { ebSetting, referencesIn } from "../../shared/synthesized";

const stacks = synthProject();

function only(stack: SynthesizedStack, type: string): [string, Resource] {
  const all = Object.entries(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

describe.each(["app-dev", "app-prod"])("%s Elastic Beanstalk wiring", (stackName) => {
  const stack = stacks[stackName];
  const [, env] = only(stack, "aws_elastic_beanstalk_environment");
  const instanceSgRef = ebSetting(env, "aws:autoscaling:launchconfiguration", "SecurityGroups");
  const profile = resolveRef(
    stack,
    ebSetting(env, "aws:autoscaling:launchconfiguration", "IamInstanceProfile"),
  );
  const instanceRole = resolveRef(stack, profile.resource.role);
  const rolePolicies = Object.values(resourcesOf(stack, "aws_iam_role_policy")).filter((p) =>
    [
      refOf("aws_iam_role", instanceRole.name, "id"),
      refOf("aws_iam_role", instanceRole.name, "name"),
    ].includes(String(p.role)),
  );

  test("the environment is created after every endpoint, subnet association, security-group rule and role policy", () => {
    // What the first instances use before they signal: without the ordering Terraform creates them in parallel.
    const needed = [
      "aws_vpc_endpoint",
      "aws_route_table_association",
      "aws_network_acl",
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
    ].flatMap((type) => Object.keys(resourcesOf(stack, type)).map((name) => `${type}.${name}`));
    expect(needed.length).toBeGreaterThan(20);
    expect(asList(env.depends_on as string[])).toEqual(expect.arrayContaining(needed));
    // ...and none of them waits for the environment (Terraform would refuse the cycle).
    const waitsForEnvironment = (address: string, seen = new Set<string>()): boolean => {
      if (seen.has(address)) return false;
      seen.add(address);
      const [type, name] = address.split(".");
      const resource = stack.resource?.[type]?.[name];
      if (!resource) return false;
      const text = JSON.stringify(resource);
      const refs = [...text.matchAll(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\b/g)].map(
        ([, t, n]) => `${t}.${n}`,
      );
      return refs.some(
        (ref) => ref.startsWith("aws_elastic_beanstalk_environment.") || waitsForEnvironment(ref, seen),
      );
    };
    for (const dependency of asList(env.depends_on as string[]))
      expect([dependency, waitsForEnvironment(dependency)]).toEqual([dependency, false]);
  });

  test("instances run only in subnets whose route tables have no default route", () => {
    const subnets = referencesIn(ebSetting(env, "aws:ec2:vpc", "Subnets"));
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    const associations = Object.values(resourcesOf(stack, "aws_route_table_association"));
    const routes = Object.values(resourcesOf(stack, "aws_route"));
    for (const subnet of subnets) {
      expect(subnet.type).toBe("aws_subnet");
      const subnetRef = refOf("aws_subnet", subnet.name, "id");
      const association = associations.find((a) => a.subnet_id === subnetRef);
      expect(association).toBeDefined();
      const table = resolveRef(stack, association!.route_table_id);
      const tableRef = refOf("aws_route_table", table.name, "id");
      const inline = asList(table.resource.route as Resource | Resource[] | undefined);
      const separate = routes.filter((r) => r.route_table_id === tableRef);
      for (const route of [...inline, ...separate]) {
        expect(route.cidr_block ?? route.destination_cidr_block).not.toBe("0.0.0.0/0");
        expect(route.ipv6_cidr_block ?? route.destination_ipv6_cidr_block).not.toBe("::/0");
      }
      expect(stack.resource?.aws_subnet?.[subnet.name].map_public_ip_on_launch).not.toBe(true);
    }
  });

  test("the load balancer's subnets are the public ones", () => {
    const [, alb] = only(stack, "aws_lb");
    const albSubnets = referencesIn(JSON.stringify(alb.subnets));
    expect(albSubnets.length).toBeGreaterThanOrEqual(2);
    for (const subnet of albSubnets) expect(subnet.name).toMatch(/public-subnet/);
  });

  test("no egress from the instances to 0.0.0.0/0 or anywhere but HTTPS to endpoints and S3", () => {
    const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter(
      (r) => r.security_group_id === instanceSgRef,
    );
    expect(egress).toHaveLength(2);
    for (const rule of egress) {
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
      expect([rule.from_port, rule.to_port]).toEqual([443, 443]);
    }
    const [endpointSgName] = Object.entries(resourcesOf(stack, "aws_security_group")).find(([, g]) =>
      String(g.name).includes("endpoint"),
    )!;
    expect(egress.map((r) => r.referenced_security_group_id ?? r.prefix_list_id).sort()).toEqual(
      [refOf("aws_security_group", endpointSgName, "id"), expect.stringContaining("prefix_list")].sort(),
    );
  });

  test("the ALB forwards to the instances' app port and the instances admit only the ALB", () => {
    const albSg = ebSetting(env, "aws:elbv2:loadbalancer", "SecurityGroups");
    const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.security_group_id === instanceSgRef,
    );
    expect(ingress).toEqual([
      expect.objectContaining({ referenced_security_group_id: albSg, from_port: 80, to_port: 80 }),
    ]);
    const albEgress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).filter(
      (r) => r.security_group_id === albSg,
    );
    expect(albEgress).toEqual([
      expect.objectContaining({ referenced_security_group_id: instanceSgRef, from_port: 80 }),
    ]);
    expect(ebSetting(env, "aws:elbv2:loadbalancer", "SharedLoadBalancer")).toBe(
      refOf("aws_lb", only(stack, "aws_lb")[0], "arn"),
    );
  });

  test("the app role gets the images grant on its prefixes, read/write/delete, and no wildcard actions", () => {
    expect(rolePolicies.map((p) => p.name).sort()).toEqual(["beanstalk-agents", "images-bucket-access"]);
    const grant = rolePolicies.find((p) => p.name === "images-bucket-access")!.policy;
    expect(asList(statementBySid(grant, "WriteObjects").Action)).toContain("s3:PutObject");
    expect(statementBySid(grant, "DeleteObjects").Action).toBe("s3:DeleteObject");
    expect(asList(statementBySid(grant, "ReadObjects").Resource).map((r) => r.split("}")[1])).toEqual([
      "/uploads/*",
      "/thumbs/*",
    ]);
    for (const policy of rolePolicies) {
      for (const statement of parsePolicy(policy.policy).Statement) {
        for (const action of asList(statement.Action)) expect(action).not.toContain("*");
        expect(asList(statement.Resource)).not.toContain("*");
      }
    }
  });

  test("/readyz's listing of uploads/ is allowed by the grant's s3:prefix condition", () => {
    const grant = rolePolicies.find((p) => p.name === "images-bucket-access")!.policy;
    const patterns = asList(
      statementBySid(grant, "ListPrefixes").Condition?.StringLike?.["s3:prefix"] as string | string[],
    );
    // app/imageshare/storage.py: list_objects_v2(Prefix="uploads/", MaxKeys=1); StringLike "*" matches "".
    const matches = (value: string) =>
      patterns.some((p) =>
        new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value),
      );
    expect(matches("uploads/")).toBe(true);
    expect(matches("uploads/abc.")).toBe(true);
    expect(matches("")).toBe(false);
  });

  test("the images bucket denies the app role outside the S3 gateway endpoint", () => {
    const policies = Object.values(resourcesOf(stack, "aws_s3_bucket_policy"));
    const confinement = policies
      .flatMap((p) => parsePolicy(p.policy).Statement)
      .find((s) => s.Sid === "DenyAppRoleOutsideVpcEndpoint")!;
    expect(confinement.Condition?.ArnEquals).toEqual({
      "aws:PrincipalArn": refOf("aws_iam_role", instanceRole.name, "arn"),
    });
    expect(String(confinement.Condition?.StringNotEquals?.["aws:SourceVpce"])).toMatch(
      /^\$\{aws_vpc_endpoint\./,
    );
  });

  test("the environment properties point at the images bucket and its key", () => {
    const property = (name: string) => ebSetting(env, "aws:elasticbeanstalk:application:environment", name);
    const bucket = resolveRef(stack, property("IMAGES_BUCKET"));
    expect([bucket.type, bucket.name, property("IMAGES_BUCKET")]).toEqual([
      "aws_s3_bucket",
      expect.stringMatching(/^storage_images-bucket_/),
      refOf("aws_s3_bucket", bucket.name, "bucket"),
    ]);
    const key = resolveRef(stack, property("KMS_KEY_ARN"));
    expect([key.type, key.name, property("KMS_KEY_ARN")]).toEqual([
      "aws_kms_key",
      expect.stringMatching(/^storage_data-key_/),
      refOf("aws_kms_key", key.name, "arn"),
    ]);
  });

  test("outputs where users reach the app, the EB CNAME and the images bucket", () => {
    expect(Object.keys(stack.output ?? {})).toEqual(
      expect.arrayContaining(["environment_url", "environment_cname", "images_bucket", "alb_dns_name"]),
    );
  });
});
