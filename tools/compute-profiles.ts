/**
 * Every compute in both profiles, priced by the estimator: the figures behind the cost chart (tools/cost-chart.ts)
 * and the decision guide (docs/variants.md).
 *
 * A profile is what the environment name starts with: `dev` (cheapest shape that meets every security requirement)
 * or `prod` (highly available). An environment that exists in config/environments.ts is priced as it is. A compute
 * that has no environment in a profile (e.g. Fargate, built as `dev-fargate` only) is priced on paper: that
 * profile's environment with the compute's settings (`dev-fargate`'s) and the profile's instance counts, synthesized
 * in memory like the real ones and never deployed. EKS is priced on paper from the Beanstalk stack of the profile
 * (shared/cost/eks-paper.ts).
 */
import { App, TerraformStack, Testing } from "cdktf";
import { buildApp } from "../main";
import { ComputeConfig, EnvironmentConfig, ProjectConfig, projectConfig } from "../config";
import { ComputeComparison, compareStacks } from "../shared/cost/compare";
import { StackCost, estimateStacks } from "../shared/cost/estimate";
import { eksOnPaper } from "../shared/cost/eks-paper";
import { PriceTable, RegionPrices, loadPriceTable } from "../shared/cost/price-table";
import { SynthesizedStackFile } from "../shared/synthesized";

export const PROFILES = ["dev", "prod"] as const;
export type Profile = (typeof PROFILES)[number];
/** Computes in the order the chart and the guide show them; `eks` is on paper only. */
export const KINDS = ["beanstalk", "fargate", "ec2", "eks"] as const;

/** One compute in one profile. */
export interface ProfileCost {
  readonly kind: string;
  readonly profile: Profile;
  /** Priced from a stack that config/environments.ts does not deploy. */
  readonly onPaper: boolean;
  readonly comparison: ComputeComparison;
  /** The estimate of the stack the figures come from (for EKS: the Beanstalk stack whose shared parts it keeps). */
  readonly cost: StackCost;
  /** The compute settings of the environment (none for EKS on paper). */
  readonly settings?: ComputeConfig;
}

export const profileOf = (envName: string): string => envName.split("-")[0];

type ComputeSettings = Record<string, unknown> & { kind: string };
const computeOf = (env: EnvironmentConfig): ComputeSettings | undefined =>
  (env as unknown as { compute?: ComputeSettings }).compute;

/** Instance or task counts of a compute's settings, by the names each kind uses. */
const COUNT_KEYS: Record<string, readonly [string, string]> = {
  beanstalk: ["minInstances", "maxInstances"],
  ec2: ["minInstances", "maxInstances"],
  fargate: ["minTasks", "maxTasks"],
};

/** Settings a compute on paper takes from the profile's own compute when both have them. */
const SHARED_MACHINE_KEYS = ["instanceType", "architecture"] as const;

/**
 * The configuration plus one environment for every (profile, compute) pair config/environments.ts lacks: the
 * profile's environment with the compute's settings, the profile's counts and, for a kind that runs instances, the
 * profile's instance type. Before environments carry a
 * `compute` (one compute kind only), there is nothing to add.
 */
export function withPaperEnvironments(config: ProjectConfig): {
  config: ProjectConfig;
  onPaper: Set<string>;
} {
  const onPaper = new Set<string>();
  const extra: EnvironmentConfig[] = [];
  const withCompute = config.environments.filter((e) => computeOf(e));
  for (const profile of PROFILES) {
    const base = config.environments.find((e) => e.name === profile);
    const baseCompute = base && computeOf(base);
    if (!base || !baseCompute) continue;
    const [minKey, maxKey] = COUNT_KEYS[baseCompute.kind] ?? [];
    for (const source of withCompute) {
      const compute = computeOf(source)!;
      const has = config.environments.some(
        (e) => profileOf(e.name) === profile && computeOf(e)?.kind === compute.kind,
      );
      if (has || !minKey) continue;
      const [kMin, kMax] = COUNT_KEYS[compute.kind];
      const name = `${profile}-${compute.kind}`;
      onPaper.add(`app-${name}`);
      // Machines stay comparable: a kind that runs instances takes the profile's instance type.
      const sameMachine = SHARED_MACHINE_KEYS.filter((k) => k in compute && k in baseCompute);
      const machine = Object.fromEntries(sameMachine.map((k) => [k, baseCompute[k]]));
      extra.push({
        ...base,
        name,
        compute: { ...compute, ...machine, [kMin]: baseCompute[minKey], [kMax]: baseCompute[maxKey] },
      } as unknown as EnvironmentConfig);
    }
  }
  return { config: { ...config, environments: [...config.environments, ...extra] }, onPaper };
}

/** Every stack of a configuration, synthesized in memory (what `cdktf synth` writes, without writing it). */
export function synthesize(config: ProjectConfig): SynthesizedStackFile[] {
  const app = buildApp(Testing.app({ enableFutureFlags: true }) as App, config);
  return app.node.children
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .map((stack) => ({
      name: stack.node.id,
      json: JSON.parse(Testing.synth(stack)) as SynthesizedStackFile["json"],
    }));
}

/** Every compute in both profiles, in KINDS × PROFILES order; EKS from each profile's Beanstalk stack. */
export function profileCosts(
  config: ProjectConfig = projectConfig,
  table: PriceTable = loadPriceTable(),
): ProfileCost[] {
  const { config: all, onPaper } = withPaperEnvironments(config);
  const rows: ProfileCost[] = [];
  const stacks = synthesize(all);
  const costs = estimateStacks(stacks, table);
  for (const comparison of compareStacks(stacks, costs)) {
    const profile = profileOf(comparison.stack.replace(/^app-/, "")) as Profile;
    if (!PROFILES.includes(profile)) continue;
    const cost = costs.find((c) => c.stack === comparison.stack)!;
    const settings = all.environments.find((e) => `app-${e.name}` === comparison.stack)?.compute;
    const kind = comparison.compute;
    rows.push({ kind, profile, onPaper: onPaper.has(comparison.stack), comparison, cost, settings });
  }
  for (const profile of PROFILES) {
    const base = rows.find((r) => r.profile === profile && r.kind === "beanstalk" && !r.onPaper);
    if (!base) continue;
    const prices = new RegionPrices(table, base.cost.region);
    const eks = eksOnPaper(base.cost, prices, table.hoursPerMonth);
    rows.push({ kind: "eks", profile, onPaper: true, comparison: eks.comparison, cost: base.cost });
  }
  const order = (r: ProfileCost) =>
    KINDS.indexOf(r.kind as (typeof KINDS)[number]) * 10 + PROFILES.indexOf(r.profile);
  return rows.sort((a, b) => order(a) - order(b) || a.comparison.stack.localeCompare(b.comparison.stack));
}
