import { estimateStack } from "../../../shared/cost/estimate";
import { fixedByGroup } from "../../../shared/cost/compare";
import { EKS_NODES, EKS_PRIVATE_ENDPOINTS, eksOnPaper } from "../../../shared/cost/eks-paper";
import { RegionPrices, loadPriceTable } from "../../../shared/cost/price-table";
import { SynthesizedStackFile } from "../../../shared/synthesized";
import { synthProject } from "../../../test-support/synth";

const table = loadPriceTable();
const prices = new RegionPrices(table, "eu-west-1");
const HOURS = table.hoursPerMonth;
const stacks = synthProject();
const costOf = (name: string) =>
  estimateStack({ name, json: stacks[name] as SynthesizedStackFile["json"] }, table);

describe("EKS on paper", () => {
  test.each([
    ["app-dev", 1, 2],
    ["app-prod", 3, 3],
  ])(
    "%s: control plane, nodes, their disks and the private-cluster endpoints in the stack's endpoint AZs",
    (name, azs, nodes) => {
      const base = costOf(name);
      const eks = eksOnPaper(base, prices, HOURS);
      const hour = (key: string) => prices.usd(key) * HOURS;
      expect(eks.lines.map((l) => l.monthlyUsd)).toEqual([
        Number(hour("eks.cluster.hour").toFixed(4)),
        Number((nodes * hour(`ec2.${EKS_NODES.instanceType}.hour`)).toFixed(4)),
        Number((nodes * EKS_NODES.diskGb * prices.usd("ebs.gp3.gbMonth")).toFixed(4)),
        Number((EKS_PRIVATE_ENDPOINTS.length * azs * hour("vpc.interfaceEndpoint.hour")).toFixed(4)),
      ]);
      const shared = fixedByGroup(base);
      const groups = eks.comparison.fixedByGroup;
      expect([groups.loadBalancer, groups.storage, groups.operations]).toEqual([
        shared.loadBalancer,
        shared.storage,
        shared.operations,
      ]);
      const sum =
        eks.lines.reduce((s, l) => s + l.monthlyUsd, 0) +
        shared.loadBalancer +
        shared.storage +
        shared.operations;
      expect(eks.comparison.fixedMonthlyUsd).toBeCloseTo(sum, 3);
      expect(eks.comparison.scenarios.small - eks.comparison.fixedMonthlyUsd).toBeCloseTo(
        base.scenarios[0].variableMonthlyUsd,
        3,
      );
    },
  );

  test("the endpoint list is the private-cluster set this app needs, S3 left to the gateway", () => {
    expect(EKS_PRIVATE_ENDPOINTS.map((e) => e.service)).toEqual([
      "ec2",
      "ecr.api",
      "ecr.dkr",
      "sts",
      "logs",
      "elasticloadbalancing",
    ]);
  });
});
