import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ComputeConfig, EnvironmentConfig, projectConfig, ProjectConfig } from "../../config";
import { costCommand, StackCostJson } from "../../tools/cost";
import {
  COSTLY_UNPRICED_TYPES,
  FREE_TYPES,
  USAGE_PRICED_TYPES,
  estimateStack,
  StackCost,
} from "../../shared/cost/estimate";
import { loadPriceTable, PriceTable, RegionPrices } from "../../shared/cost/price-table";
import { SynthesizedStackFile } from "../../shared/synthesized";
import { synthProject, SynthesizedStack } from "../../test-support/synth";
import { EbOption, beanstalkStack, ebOption } from "../../test-support/compute-stack";

const table = loadPriceTable();
const prices = new RegionPrices(table, "eu-west-1");
const HOURS = table.hoursPerMonth;

function withEnv(name: string, patch: Partial<EnvironmentConfig>): ProjectConfig {
  return {
    ...projectConfig,
    environments: projectConfig.environments.map((e) => (e.name === name ? { ...e, ...patch } : e)),
  };
}

function stackOf(config: ProjectConfig, env: string): SynthesizedStackFile {
  const name = `app-${env}`;
  return { name, json: synthProject(config)[name] as SynthesizedStackFile["json"] };
}

const cost = (config: ProjectConfig, env: string): StackCost => estimateStack(stackOf(config, env), table);

function interfaceEndpoints(stack: SynthesizedStackFile): number {
  return Object.values(stack.json.resource?.aws_vpc_endpoint ?? {}).filter(
    (e) => e.vpc_endpoint_type === "Interface",
  ).length;
}

const count = (stack: SynthesizedStackFile, type: string) =>
  Object.keys(stack.json.resource?.[type] ?? {}).length;

/** A copy of a stack with one extra resource. */
function withResource(stack: SynthesizedStackFile, type: string, resource: Record<string, unknown>) {
  const json = JSON.parse(JSON.stringify(stack.json)) as SynthesizedStackFile["json"];
  json.resource = { ...json.resource, [type]: { ...(json.resource?.[type] ?? {}), added: resource } };
  return { name: stack.name, json };
}

describe("cost estimate follows the synthesized resources", () => {
  const dev = stackOf(projectConfig, "dev");
  const prod = stackOf(projectConfig, "prod");
  const endpointHour = prices.usd("vpc.interfaceEndpoint.hour");

  test("every line is quantity × unit price and the total is their sum", () => {
    for (const stack of [dev, prod]) {
      const estimate = estimateStack(stack, table);
      expect(estimate.items.length).toBeGreaterThan(0);
      for (const i of estimate.items) expect(i.monthlyUsd).toBeCloseTo(i.quantity * i.unitPriceUsd, 4);
      const sum = estimate.items.reduce((s, i) => s + i.monthlyUsd, 0);
      expect(estimate.fixedMonthlyUsd).toBeCloseTo(sum, 4);
    }
  });

  test("interface endpoints are billed per subnet (AZ) they sit in", () => {
    const estimate = estimateStack(prod, table);
    const endpoints = Object.entries(prod.json.resource?.aws_vpc_endpoint ?? {}).filter(
      ([, e]) => e.vpc_endpoint_type === "Interface",
    );
    expect(endpoints.length).toBeGreaterThan(0);
    for (const [name, endpoint] of endpoints) {
      const line = estimate.items.find((i) => i.address === `aws_vpc_endpoint.${name}`);
      expect(line?.quantity).toBe((endpoint.subnet_ids as string[]).length * HOURS);
    }
  });

  test("a third AZ adds one AZ-hour per interface endpoint and one ALB public IPv4 per hour", () => {
    const two = withEnv("prod", { azCount: 2 });
    const delta = cost(projectConfig, "prod").fixedMonthlyUsd - cost(two, "prod").fixedMonthlyUsd;
    const expected = HOURS * (interfaceEndpoints(prod) * endpointHour + prices.usd("vpc.publicIpv4.hour"));
    expect(delta).toBeCloseTo(expected, 2);
  });

  test("all-azs endpoints in a 2-AZ dev cost one more AZ per interface endpoint than single-az", () => {
    const allAzs = withEnv("dev", { endpointPlacement: "all-azs" });
    const delta = cost(allAzs, "dev").fixedMonthlyUsd - cost(projectConfig, "dev").fixedMonthlyUsd;
    expect(delta).toBeCloseTo(interfaceEndpoints(dev) * (2 - 1) * HOURS * endpointHour, 2);
  });

  test("Session Manager adds its interface endpoints and nothing else that costs money", () => {
    const ssm = withEnv("dev", {
      compute: { ...projectConfig.environments[0].compute, sessionManager: true } as ComputeConfig,
    });
    const ssmStack = stackOf(ssm, "dev");
    const added = interfaceEndpoints(ssmStack) - interfaceEndpoints(dev);
    expect(added).toBe(3);
    const delta = estimateStack(ssmStack, table).fixedMonthlyUsd - estimateStack(dev, table).fixedMonthlyUsd;
    expect(delta).toBeCloseTo(added * 1 * HOURS * endpointHour, 2); // dev: single-az
  });

  test("WAF adds the web ACL, one price per rule and the keys it brings", () => {
    const noWaf = stackOf(withEnv("prod", { waf: false }), "prod");
    const acl = Object.values(prod.json.resource?.aws_wafv2_web_acl ?? {})[0];
    const rules = (acl.rule as unknown[]).length;
    const extraKeys = count(prod, "aws_kms_key") - count(noWaf, "aws_kms_key");
    const delta = estimateStack(prod, table).fixedMonthlyUsd - estimateStack(noWaf, table).fixedMonthlyUsd;
    expect(delta).toBeCloseTo(
      prices.usd("waf.webAcl.month") +
        rules * prices.usd("waf.rule.month") +
        extraKeys * prices.usd("kms.key.month"),
      2,
    );
  });

  test("operations: alarms per metric they read, custom metrics, the dashboard and the topic's key", () => {
    for (const stack of [dev, prod]) {
      const items = estimateStack(stack, table).items;
      const sum = (type: string) =>
        items.filter((i) => i.address.startsWith(`${type}.`)).reduce((n, i) => n + i.monthlyUsd, 0);
      // Four single-metric alarms and one metric-math alarm over three ALB metrics.
      expect(sum("aws_cloudwatch_metric_alarm")).toBeCloseTo(7 * prices.usd("cloudwatch.alarm.month"), 4);
      expect(sum("aws_cloudwatch_log_metric_filter")).toBeCloseTo(
        2 * prices.usd("cloudwatch.metric.month"),
        4,
      );
      expect(sum("aws_cloudwatch_dashboard")).toBeCloseTo(prices.usd("cloudwatch.dashboard.month"), 4);
      const health = items.find((i) => i.description.startsWith("EB enhanced-health custom metrics"));
      expect(health).toMatchObject({ description: expect.stringContaining("InstancesOk"), quantity: 1 });
      const topicKey = items.find((i) => i.address.startsWith("aws_kms_key.notifications_"));
      expect(topicKey?.monthlyUsd).toBe(prices.usd("kms.key.month"));
      for (const free of ["aws_sns_topic", "aws_sns_topic_policy", "aws_budgets_budget"]) {
        expect(FREE_TYPES.has(free)).toBe(true);
        expect(sum(free)).toBe(0);
      }
    }
  });

  test("instance-level EB health metrics (billed per instance) fail until priced", () => {
    const json = JSON.parse(JSON.stringify(dev.json)) as SynthesizedStackFile["json"];
    const env = Object.values(json.resource?.aws_elastic_beanstalk_environment ?? {})[0];
    (env.setting as { namespace: string; name: string; value: string }[]).push({
      namespace: "aws:elasticbeanstalk:healthreporting:system",
      name: "ConfigDocument",
      value: JSON.stringify({ CloudWatchMetrics: { Instance: { CPUUser: 60 } }, Version: 1 }),
    });
    const settings = env.setting as { name: string }[];
    env.setting = settings.filter((s, i) => s.name !== "ConfigDocument" || i === settings.length - 1);
    expect(() => estimateStack({ name: dev.name, json }, table)).toThrow(/instance-level EB health metrics/);
  });

  test("a resource type that costs money but has no estimator fails loudly", () => {
    expect(COSTLY_UNPRICED_TYPES.has("aws_db_instance")).toBe(true);
    expect(() =>
      estimateStack(withResource(dev, "aws_db_instance", { instance_class: "db.t4g.micro" }), table),
    ).toThrow(/aws_db_instance\.added: aws_db_instance costs money but tools\/cost\.ts has no price entry/);
  });

  test("a resource type that is in no list fails until it is classified", () => {
    expect(() => estimateStack(withResource(dev, "aws_made_up_thing", {}), table)).toThrow(
      /aws_made_up_thing is not classified/,
    );
  });

  test("a priced resource whose price is missing from the table fails", () => {
    const partial: PriceTable = {
      ...table,
      entries: table.entries.filter((e) => e.key !== "vpc.interfaceEndpoint.hour"),
    };
    expect(() => estimateStack(dev, partial)).toThrow(
      /No price "vpc.interfaceEndpoint.hour" for region eu-west-1/,
    );
  });

  test("a region with no prices fails with a clear message", () => {
    const elsewhere = withEnv("dev", { region: "us-west-2" });
    expect(() => cost(elsewhere, "dev")).toThrow(
      /No prices for region us-west-2 in shared\/cost\/prices.json/,
    );
  });

  test("us-east-1 is priced with its own table", () => {
    const east = cost(withEnv("dev", { region: "us-east-1" }), "dev");
    expect(east.region).toBe("us-east-1");
    const endpoint = east.items.find((i) => i.address.startsWith("aws_vpc_endpoint."));
    expect(endpoint?.unitPriceUsd).toBe(
      new RegionPrices(table, "us-east-1").usd("vpc.interfaceEndpoint.hour"),
    );
  });
});

describe("Elastic Beanstalk environment", () => {
  const setting = ebOption;
  const environment = (settings: EbOption[]): SynthesizedStackFile => ({
    name: "eb",
    json: beanstalkStack(settings),
  });
  const shared = setting("aws:elasticbeanstalk:environment", "LoadBalancerIsShared", "true");

  test("instances are MinSize × the first instance type, with their root volumes and scaling alarms", () => {
    const estimate = estimateStack(
      environment([
        shared,
        setting("aws:ec2:instances", "InstanceTypes", "t4g.small,t4g.medium"),
        setting("aws:autoscaling:asg", "MinSize", "3"),
        setting("aws:autoscaling:launchconfiguration", "RootVolumeSize", "20"),
      ]),
      table,
    );
    const [ec2, ebs, alarms] = estimate.items;
    expect(ec2).toMatchObject({ quantity: 3 * HOURS, unitPriceUsd: prices.usd("ec2.t4g.small.hour") });
    expect(ebs).toMatchObject({ quantity: 3 * 20, unitPriceUsd: prices.usd("ebs.gp3.gbMonth") });
    expect(alarms).toMatchObject({ quantity: 2, unitPriceUsd: prices.usd("cloudwatch.alarm.month") });
    expect(estimate.items).toHaveLength(3);
  });

  test("without settings the EB defaults apply: one instance, 8 GiB gp3 root volume", () => {
    const estimate = estimateStack(
      environment([shared, setting("aws:ec2:instances", "InstanceTypes", "t4g.micro")]),
      table,
    );
    expect(estimate.items[0].quantity).toBe(HOURS);
    expect(estimate.items[1].quantity).toBe(8);
  });

  test("an instance type without a price fails", () => {
    expect(() =>
      estimateStack(
        environment([shared, setting("aws:ec2:instances", "InstanceTypes", "c7g.4xlarge")]),
        table,
      ),
    ).toThrow(/No price "ec2.c7g.4xlarge.hour"/);
  });

  test("an EB-created classic load balancer cannot be priced", () => {
    expect(() =>
      estimateStack(environment([setting("aws:ec2:instances", "InstanceTypes", "t4g.micro")]), table),
    ).toThrow(/EB would create a classic load balancer/);
  });

  test("scenarios grow with usage and the variable model follows Bucket Keys", () => {
    const stack = environment([shared, setting("aws:ec2:instances", "InstanceTypes", "t4g.micro")]);
    const kmsBucket = (bucketKey: boolean) =>
      withResource(stack, "aws_s3_bucket_server_side_encryption_configuration", {
        rule: [
          {
            apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" },
            bucket_key_enabled: bucketKey,
          },
        ],
      });
    const withKeys = estimateStack(kmsBucket(true), table);
    const withoutKeys = estimateStack(kmsBucket(false), table);
    expect(withKeys.scenarios.map((s) => s.name)).toEqual(["small", "medium", "large"]);
    const totals = withKeys.scenarios.map((s) => s.totalMonthlyUsd);
    expect(totals[0]).toBeLessThan(totals[1]);
    expect(totals[1]).toBeLessThan(totals[2]);
    const kms = (c: StackCost) => c.scenarios[2].lines.find((l) => l.what.startsWith("KMS"))!.monthlyUsd;
    expect(kms(withoutKeys)).toBeCloseTo(kms(withKeys) * 100, 2);
  });
});

describe("classification and price table", () => {
  test("the type lists do not overlap", () => {
    for (const type of FREE_TYPES) {
      expect(USAGE_PRICED_TYPES.has(type) || COSTLY_UNPRICED_TYPES.has(type)).toBe(false);
    }
    for (const type of USAGE_PRICED_TYPES) expect(COSTLY_UNPRICED_TYPES.has(type)).toBe(false);
  });

  test("every price has a region, a date and an AWS source, and both regions have the same keys", () => {
    for (const e of table.entries) {
      expect(e.usd).toBeGreaterThan(0);
      expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(e.unit.length).toBeGreaterThan(0);
    }
    const keys = (region: string) =>
      table.entries
        .filter((e) => e.region === region)
        .map((e) => e.key)
        .sort();
    expect(keys("us-east-1")).toEqual(keys("eu-west-1"));
    expect(keys("eu-west-1")).toContain("vpc.interfaceEndpoint.hour");
  });
});

describe("make cost", () => {
  const outdir = mkdtempSync(join(tmpdir(), "cost-"));
  const stacks: Record<string, SynthesizedStack> = synthProject(projectConfig);
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }

  test("--json prints, per stack, exactly {region, priceDate, currency, compute, fixedMonthlyUsd, fixedByGroup, comparison, items, variable, scenarios}", () => {
    const parsed = JSON.parse(costCommand([outdir, "--json"], table)) as Record<string, StackCostJson>;
    expect(Object.keys(parsed)).toEqual(Object.keys(stacks).sort());
    for (const [name, s] of Object.entries(parsed)) {
      expect(Object.keys(s)).toEqual([
        "region",
        "priceDate",
        "currency",
        "compute",
        "fixedMonthlyUsd",
        "fixedByGroup",
        "comparison",
        "items",
        "variable",
        "scenarios",
      ]);
      expect(s.currency).toBe("USD");
      const estimate = estimateStack({ name, json: stacks[name] as SynthesizedStackFile["json"] }, table);
      expect(s.fixedMonthlyUsd).toBe(estimate.fixedMonthlyUsd);
      for (const i of s.items) {
        expect(Object.keys(i)).toEqual([
          "address",
          "description",
          "quantity",
          "unit",
          "unitPriceUsd",
          "monthlyUsd",
        ]);
      }
    }
    expect(parsed["app-dev"].variable.length).toBeGreaterThan(0);
    expect(parsed["app-dev"].scenarios.map((sc) => sc.name)).toEqual(["small", "medium", "large"]);
  });

  test("the text report names each stack and its fixed total", () => {
    const text = costCommand([outdir], table);
    const dev = estimateStack(
      { name: "app-dev", json: stacks["app-dev"] as SynthesizedStackFile["json"] },
      table,
    );
    expect(text).toContain("== app-dev (eu-west-1");
    expect(text).toContain(`TOTAL fixed`);
    expect(text).toContain(`$${dev.fixedMonthlyUsd.toFixed(2)}`);
  });
});
