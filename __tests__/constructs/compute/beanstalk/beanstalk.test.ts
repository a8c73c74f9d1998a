import { Testing } from "cdktf";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Beanstalk, BeanstalkProps } from "../../../../constructs/compute/beanstalk/beanstalk";
import { environmentSettings } from "../../../../constructs/compute/beanstalk/settings";
import {
  BEANSTALK_SERVICE_MANAGED_POLICIES,
  instanceAgentStatements,
} from "../../../../constructs/compute/beanstalk/policies";
import { verifyOfflineBundle } from "../../../../constructs/compute/beanstalk/bundle";
import {
  Resource,
  SynthesizedStack,
  asList,
  onlyResource,
  parsePolicy,
  refOf,
  resourcesOf,
  statementBySid,
  synthConstruct,
} from "../../../../test-support/synth";
import { ebNamespace, ebSetting, ebSettings } from "../../../../shared/synthesized";
import { makeBundleFixture } from "../../../../test-support/bundle-fixture";
import { BEANSTALK_TEST_OPTIONS } from "../../../../test-support/beanstalk-fixture";

const bundleDir = makeBundleFixture();

function props(overrides: Partial<BeanstalkProps> = {}): BeanstalkProps {
  return {
    ...BEANSTALK_TEST_OPTIONS,
    name: "imageshare-dev",
    accountId: "123456789012",
    solutionStackNameRegex: "^64bit Amazon Linux 2023 v[0-9]+[.][0-9]+[.][0-9]+ running Python 3[.]11$",
    bundle: {
      directory: bundleDir,
      artifactsBucketName: "artifacts-bucket",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
    },
    ...overrides,
  };
}

function synth(overrides: Partial<BeanstalkProps> = {}): { stack: SynthesizedStack; env: Resource } {
  const stack = synthConstruct((scope) => new Beanstalk(scope, "eb", props(overrides)));
  return { stack, env: onlyResource(stack, "aws_elastic_beanstalk_environment") };
}

const { stack, env } = synth();

function nameOf(type: string): string {
  const names = Object.keys(resourcesOf(stack, type));
  if (names.length !== 1) throw new Error(`expected one ${type}`);
  return names[0];
}

function roleByName(suffix: string): { name: string; role: Resource } {
  const [name, role] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) =>
    String(r.name).endsWith(suffix),
  )!;
  return { name, role };
}

describe("Beanstalk environment settings", () => {
  test("is a load-balanced web server on the shared ALB with our service role", () => {
    expect(env.tier).toBe("WebServer");
    expect(ebNamespace(env, "aws:elasticbeanstalk:environment")).toEqual({
      EnvironmentType: "LoadBalanced",
      LoadBalancerType: "application",
      LoadBalancerIsShared: "true",
      ServiceRole: refOf("aws_iam_role", roleByName("-eb-service").name, "arn"),
    });
    expect(ebSetting(env, "aws:elbv2:loadbalancer", "SharedLoadBalancer")).toBe(
      props().loadBalancer.loadBalancerArn,
    );
  });

  test("sets exactly the options of environmentSettings (constructs/compute/beanstalk/settings.ts), in its order", () => {
    const keys = (settings: { namespace: string; name: string }[]) =>
      settings.map((s) => `${s.namespace}:${s.name}`);
    const resources = {
      serviceRoleArn: "r",
      instanceProfileName: "p",
      instanceSecurityGroupId: "g",
      knownCname: "c",
    };
    expect(keys(ebSettings(env))).toEqual(keys(environmentSettings(props(), resources)));
  });

  test("has a known CNAME: cname_prefix <name>-<account>, so EB's CNAME is prefix.region.elasticbeanstalk.com", () => {
    expect(env.cname_prefix).toBe("imageshare-dev-123456789012");
    expect(synth({ cnamePrefix: "my-images" }).env.cname_prefix).toBe("my-images");
  });

  test("launches instances with IMDSv2 only, our profile and security group only, gp3 root volume", () => {
    expect(ebNamespace(env, "aws:autoscaling:launchconfiguration")).toEqual({
      IamInstanceProfile: refOf("aws_iam_instance_profile", nameOf("aws_iam_instance_profile"), "name"),
      SecurityGroups: refOf("aws_security_group", nameOf("aws_security_group"), "id"),
      DisableDefaultEC2SecurityGroup: "true",
      DisableIMDSv1: "true",
      RootVolumeType: "gp3",
    });
  });

  test("applies minor platform updates weekly with instance refresh, using our service role", () => {
    expect(ebNamespace(env, "aws:elasticbeanstalk:managedactions")).toEqual({
      ManagedActionsEnabled: "true",
      PreferredStartTime: "Sun:03:00",
      ServiceRoleForManagedUpdates: refOf("aws_iam_role", roleByName("-eb-service").name, "arn"),
    });
    expect(ebNamespace(env, "aws:elasticbeanstalk:managedactions:platformupdate")).toEqual({
      UpdateLevel: "minor",
      InstanceRefreshEnabled: "true",
    });
  });

  test("creates the environment on the newest platform version of the branch, and lets managed updates move it", () => {
    const [name, lookup] = Object.entries(stack.data?.aws_elastic_beanstalk_solution_stack ?? {})[0] ?? [];
    expect(lookup).toEqual({
      name_regex: props().solutionStackNameRegex,
      most_recent: true,
    });
    expect(env.solution_stack_name).toBe(`\${data.aws_elastic_beanstalk_solution_stack.${name}.name}`);
    // After creation the environment reports what managed updates installed; Terraform must not undo it.
    expect((env.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(["solution_stack_name"]);
  });
});

describe("Beanstalk shared-ALB listener rules", () => {
  test("is created after the listeners and their rules (EB names the listener and ranks below existing rules)", () => {
    const withListener = synthConstruct((scope) => {
      const listener = new LbListener(scope, "serving-listener", {
        loadBalancerArn: props().loadBalancer.loadBalancerArn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain" } }],
      });
      new Beanstalk(scope, "eb", props({ loadBalancer: { ...props().loadBalancer, listeners: [listener] } }));
    });
    const listenerName = Object.keys(resourcesOf(withListener, "aws_lb_listener"))[0];
    expect(onlyResource(withListener, "aws_elastic_beanstalk_environment").depends_on).toContain(
      `aws_lb_listener.${listenerName}`,
    );
  });

  test("is created after its own security-group rules and role policies (instances need them on first boot)", () => {
    const own = [
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
    ].flatMap((type) => Object.keys(resourcesOf(stack, type)).map((name) => `${type}.${name}`));
    expect(own.length).toBeGreaterThanOrEqual(6);
    expect(env.depends_on).toEqual(expect.arrayContaining(own));
  });
});

describe("Beanstalk instance security group", () => {
  const group = onlyResource(stack, "aws_security_group");
  const groupRef = refOf("aws_security_group", nameOf("aws_security_group"), "id");
  const ingress = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule"));
  const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule"));

  test("has no inline rules and every rule is described", () => {
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(group.vpc_id).toBe("vpc-1");
    for (const rule of [...ingress, ...egress]) {
      expect(rule.security_group_id).toBe(groupRef);
      expect(String(rule.description).length).toBeGreaterThan(10);
    }
  });

  test("admits the app port from the ALB's security group only", () => {
    expect(ingress).toEqual([
      expect.objectContaining({
        ip_protocol: "tcp",
        from_port: 80,
        to_port: 80,
        referenced_security_group_id: "sg-alb",
      }),
    ]);
    expect(ingress[0].cidr_ipv4).toBeUndefined();
  });

  test("sends only HTTPS, only to the endpoint security group and the S3 prefix list", () => {
    expect(egress).toHaveLength(2);
    expect(egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          from_port: 443,
          to_port: 443,
          referenced_security_group_id: "sg-endpoints",
        }),
        expect.objectContaining({ from_port: 443, to_port: 443, prefix_list_id: "pl-s3" }),
      ]),
    );
    for (const rule of egress) {
      expect(rule.ip_protocol).toBe("tcp");
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
    }
  });
});

describe("Beanstalk IAM", () => {
  const instance = roleByName("-eb-instance");
  const service = roleByName("-eb-service");
  const policies = Object.values(resourcesOf(stack, "aws_iam_role_policy"));
  const instancePolicy = policies.find((p) => p.role === refOf("aws_iam_role", instance.name, "id"))!;
  const statements = parsePolicy(instancePolicy.policy).Statement;

  test("the instance role trusts EC2 only and is the instance profile's role", () => {
    expect(parsePolicy(instance.role.assume_role_policy).Statement).toEqual([
      {
        Sid: "AllowServiceToAssume",
        Effect: "Allow",
        Principal: { Service: "ec2.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
    expect(onlyResource(stack, "aws_iam_instance_profile").role).toBe(
      refOf("aws_iam_role", instance.name, "name"),
    );
  });

  test("the instance role has no managed policies, no wildcard actions and no '*' for data services", () => {
    const attachments = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"));
    expect(attachments.every((a) => a.role !== refOf("aws_iam_role", instance.name, "name"))).toBe(true);
    expect(policies).toHaveLength(1);
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      for (const action of asList(statement.Action)) expect(action).not.toContain("*");
      if (asList(statement.Action).some((a) => /^(s3|kms|logs|elasticbeanstalk):/.test(a))) {
        expect(asList(statement.Resource)).not.toContain("*");
      }
    }
  });

  test("the instance role's policy is the agents' statements for this environment", () => {
    expect(statements).toEqual(
      instanceAgentStatements({
        region: "eu-west-1",
        accountId: "123456789012",
        applicationName: "imageshare-dev",
        environmentName: "imageshare-dev",
      }),
    );
    expect(statements.some((s) => String(s.Sid).startsWith("SessionManager"))).toBe(false);
    const ssmStack = synthConstruct((scope) => new Beanstalk(scope, "eb", props({ sessionManager: true })));
    const policy = Object.values(resourcesOf(ssmStack, "aws_iam_role_policy"))[0].policy;
    expect(parsePolicy(policy).Statement.some((s) => String(s.Sid).startsWith("SessionManager"))).toBe(true);
  });

  test("the service role trusts EB on behalf of this account only", () => {
    expect(parsePolicy(service.role.assume_role_policy).Statement).toEqual([
      {
        Sid: "AllowServiceToAssume",
        Effect: "Allow",
        Principal: { Service: "elasticbeanstalk.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });

  test("the service role has exactly the two AWS managed policies EB documents", () => {
    const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment"));
    expect(attached.map((a) => a.role)).toEqual([
      refOf("aws_iam_role", service.name, "name"),
      refOf("aws_iam_role", service.name, "name"),
    ]);
    expect(attached.map((a) => a.policy_arn).sort()).toEqual([...BEANSTALK_SERVICE_MANAGED_POLICIES].sort());
    expect(BEANSTALK_SERVICE_MANAGED_POLICIES).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSElasticBeanstalkEnhancedHealth",
      "arn:aws:iam::aws:policy/AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy",
    ]);
  });
});

describe("Beanstalk application version", () => {
  const version = onlyResource(stack, "aws_elastic_beanstalk_application_version");
  const object = onlyResource(stack, "aws_s3_object");

  test("deploys the version built from the bundle, labelled with the bundle's content hash", () => {
    expect(version.name).toMatch(/^bundle-[0-9a-f]{32}$/);
    expect(env.version_label).toBe(
      refOf(
        "aws_elastic_beanstalk_application_version",
        nameOf("aws_elastic_beanstalk_application_version"),
        "name",
      ),
    );
    expect(version.key).toBe(refOf("aws_s3_object", nameOf("aws_s3_object"), "key"));
    expect(object.key).toBe(`bundles/${version.name}.zip`);
    expect(String(object.source)).toMatch(/^assets\/.+\/archive\.zip$/);
    expect((version.lifecycle as { create_before_destroy: boolean }).create_before_destroy).toBe(true);
  });

  test("a changed bundle gets a new label; an unchanged one keeps it", () => {
    const labelFor = (directory: string) =>
      onlyResource(
        synthConstruct(
          (scope) => new Beanstalk(scope, "eb", props({ bundle: { ...props().bundle, directory } })),
        ),
        "aws_elastic_beanstalk_application_version",
      ).name;
    expect(labelFor(makeBundleFixture())).toBe(version.name);
    expect(labelFor(makeBundleFixture({ appCode: "VERSION = 2\n" }))).not.toBe(version.name);
  });

  test("stores the bundle in a private, KMS-encrypted, TLS-only artifacts bucket", () => {
    const bucketName = nameOf("aws_s3_bucket");
    expect(object.bucket).toBe(refOf("aws_s3_bucket", bucketName, "id"));
    expect(onlyResource(stack, "aws_s3_bucket").bucket).toBe("artifacts-bucket");
    expect(onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "arn:aws:kms:eu-west-1:123456789012:key/k",
        },
        bucket_key_enabled: true,
      },
    ]);
    // On the object too: its upload does not wait for the bucket's default encryption to exist.
    expect(object).toMatchObject({
      server_side_encryption: "aws:kms",
      kms_key_id: "arn:aws:kms:eu-west-1:123456789012:key/k",
      bucket_key_enabled: true,
    });
    expect(onlyResource(stack, "aws_s3_bucket_public_access_block").restrict_public_buckets).toBe(true);
    expect(
      statementBySid(onlyResource(stack, "aws_s3_bucket_policy").policy, "DenyInsecureTransport").Effect,
    ).toBe("Deny");
  });

  test("the asset reference synthesizes through Testing (no archive is built there)", () => {
    expect(() => Testing.synthScope((scope) => new Beanstalk(scope, "eb", props()))).not.toThrow();
  });
});

describe("verifyOfflineBundle", () => {
  const expected = { architecture: "arm64" as const, uploadLimitMb: 10 };

  test("accepts a bundle shaped like make bundle's output", () => {
    expect(() => verifyOfflineBundle(makeBundleFixture(), expected)).not.toThrow();
  });

  test("fails when the bundle was not built", () => {
    expect(() => verifyOfflineBundle("/nonexistent/bundle", expected)).toThrow("run `make bundle`");
  });

  test("fails when pip could reach an index", () => {
    const dir = makeBundleFixture({ requirementsHeader: "--find-links wheels" });
    expect(() => verifyOfflineBundle(dir, expected)).toThrow("--no-index");
  });

  test("fails when a binary wheel is for another CPU or Python", () => {
    const x86 = makeBundleFixture({ wheels: ["pillow-13.0.0-cp311-cp311-manylinux_2_28_x86_64.whl"] });
    expect(() => verifyOfflineBundle(x86, expected)).toThrow("not for aarch64");
    expect(() => verifyOfflineBundle(x86, { ...expected, architecture: "x86_64" })).not.toThrow();
    const py312 = makeBundleFixture({ wheels: ["pillow-13.0.0-cp312-cp312-manylinux_2_28_aarch64.whl"] });
    expect(() => verifyOfflineBundle(py312, expected)).toThrow("CPython 3.11");
    expect(() => verifyOfflineBundle(makeBundleFixture({ wheels: [] }), expected)).toThrow("no wheels");
  });

  test("fails when nginx would not admit the configured upload limit", () => {
    expect(() => verifyOfflineBundle(makeBundleFixture({ clientMaxBodyKib: null }), expected)).toThrow(
      "client_max_body_size",
    );
    expect(() => verifyOfflineBundle(makeBundleFixture(), { ...expected, uploadLimitMb: 20 })).toThrow(
      "uploadLimitMb 20",
    );
    expect(() => verifyOfflineBundle(makeBundleFixture({ clientMaxBodyKib: 1024 }), expected)).toThrow(
      "MAX_UPLOAD_MB=10",
    );
  });
});
