import { APP_UPLOAD_LIMIT_MB } from "../shared/app-contract";
import { parseIpv4Cidr } from "../shared/cidr";
import { EnvironmentConfig, ProjectConfig, StateConfig } from "./types";
import { minimumCapacity, validateCompute } from "./validate-compute";

export { PLATFORM_BRANCHES } from "../shared/compute-config";

/** Commercial regions that offer Elastic Beanstalk and its VPC endpoints; policies assume the `aws` partition. */
export const SUPPORTED_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-east-1",
  "me-south-1",
  "me-central-1",
  "af-south-1",
  "il-central-1",
];

/** The values CloudWatch Logs accepts for a retention period. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Thrown when the configuration is wrong; the message lists every wrong setting by its path. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const S3_BUCKET_NAME = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMODB_TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** Domains reserved for documentation (RFC 2606): nobody can own them, so they can only be placeholders. */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;
/**
 * A hosted-zone id that is a fill-in-here marker, not an id: Route 53 generates ids (`Z` and up to 31 letters/digits,
 * e.g. `Z1D633PJN98FT9`), it never spells words like these.
 */
const PLACEHOLDER_ZONE_ID = /REPLACE|EXAMPLE|YOUR|CHANGE|PLACEHOLDER|XXXX/;
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/**
 * 2-12 characters: lower-case letters and digits, dash-separated words (`dev`, `dev-ec2`, `dev-fargate`); it goes
 * into names, and 12 characters keep every derived name (ALB, target group) within 32.
 */
const ENV_NAME = /^(?=.{2,12}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// One address, no spaces or commas: SNS subscribes exactly the endpoint given (a list would be one bad address).
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[a-z]{2,63}$/i;

function validateState(state: StateConfig, problems: string[]): void {
  if (!SUPPORTED_REGIONS.includes(state.region)) {
    problems.push(`state.region: unknown or unsupported region "${state.region}"`);
  }
  if (!S3_BUCKET_NAME.test(state.bucketName)) {
    problems.push(`state.bucketName: "${state.bucketName}" is not a valid S3 bucket name`);
  }
  if (!DYNAMODB_TABLE_NAME.test(state.lockTableName)) {
    problems.push(`state.lockTableName: "${state.lockTableName}" is not a valid DynamoDB table name`);
  }
  if (!/^alias\/[A-Za-z0-9/_-]+$/.test(state.kmsKeyAlias) || state.kmsKeyAlias.startsWith("alias/aws/")) {
    problems.push(
      `state.kmsKeyAlias: "${state.kmsKeyAlias}" must look like alias/name and not be an AWS alias`,
    );
  }
  if (!Number.isInteger(state.noncurrentVersionExpirationDays) || state.noncurrentVersionExpirationDays < 1) {
    problems.push(`state.noncurrentVersionExpirationDays: must be a whole number of days >= 1`);
  }
}

type Fail = (setting: string, message: string) => void;

const servesHttps = (env: EnvironmentConfig) => env.domain !== undefined || env.certificateArn !== undefined;

function validateEnvironment(env: EnvironmentConfig, at: string, problems: string[]): void {
  const fail: Fail = (setting, message) => problems.push(`${at}.${setting}: ${message}`);
  validatePlacement(env, fail);
  validateCompute(env.compute, fail);
  if (env.endpointPlacement !== "all-azs" && env.endpointPlacement !== "single-az") {
    fail("endpointPlacement", `"${env.endpointPlacement}" must be all-azs or single-az`);
  }
  validateIngress(env, fail);
  validateTls(env, fail);
  validateRetentionAndApp(env, fail);
  validateOperations(env, fail);
  if (env.highlyAvailable) validateHighAvailability(env, fail);
}

/** Name, region and address space. */
function validatePlacement(env: EnvironmentConfig, fail: Fail): void {
  if (!ENV_NAME.test(env.name))
    fail("name", `"${env.name}" must be 2-12 lower-case letters/digits, words joined by single dashes`);
  if (!SUPPORTED_REGIONS.includes(env.region))
    fail("region", `unknown or unsupported region "${env.region}"`);

  const vpc = parseIpv4Cidr(env.vpcCidr);
  if (!vpc) fail("vpcCidr", `"${env.vpcCidr}" is not a valid IPv4 CIDR`);
  else if (vpc.prefix < 16 || vpc.prefix > 24)
    fail("vpcCidr", `prefix /${vpc.prefix} must be between /16 and /24`);

  if (!Number.isInteger(env.azCount) || env.azCount < 2 || env.azCount > 3) {
    fail("azCount", `${env.azCount} must be 2 or 3 (an ALB needs two AZs)`);
  }
}

/** Who may reach the load balancer. */
function validateIngress(env: EnvironmentConfig, fail: Fail): void {
  if (env.allowedIngressCidrs.length === 0) fail("allowedIngressCidrs", "needs at least one CIDR");
  // The public NACL takes two inbound rules per CIDR (80, 443) plus one per AZ, within 20 rules per direction.
  if (env.allowedIngressCidrs.length > 8) fail("allowedIngressCidrs", "at most 8 CIDRs (NACL rule quota)");
  env.allowedIngressCidrs.forEach((cidr, i) => {
    if (!parseIpv4Cidr(cidr)) fail(`allowedIngressCidrs[${i}]`, `"${cidr}" is not a valid IPv4 CIDR`);
  });
}

/** Domain or certificate, and the explicit plain-HTTP opt-out. */
function validateTls(env: EnvironmentConfig, fail: Fail): void {
  if (env.domain && env.certificateArn)
    fail("certificateArn", "set either domain or certificateArn, not both");
  if (env.domain) {
    if (!DOMAIN_NAME.test(env.domain.domainName)) {
      fail("domain.domainName", `"${env.domain.domainName}" is not a lower-case domain name`);
    }
    if (!HOSTED_ZONE_ID.test(env.domain.hostedZoneId)) {
      fail("domain.hostedZoneId", `"${env.domain.hostedZoneId}" is not a Route 53 hosted zone id`);
    } else if (
      PLACEHOLDER_ZONE_ID.test(env.domain.hostedZoneId) &&
      !RESERVED_DOMAIN.test(env.domain.domainName)
    ) {
      // A real domain with the example's zone: the certificate's DNS validation would wait for a zone that does
      // not exist (ACM times out after 72 h). The shipped example (both placeholders) only warns.
      fail(
        "domain.hostedZoneId",
        `"${env.domain.hostedZoneId}" is a placeholder: set the Route 53 public hosted zone of ${env.domain.domainName}`,
      );
    }
  }
  if (env.certificateArn !== undefined && env.certificateHostName === undefined) {
    fail("certificateHostName", "is required with certificateArn (the host name the certificate covers)");
  }
  if (env.certificateHostName !== undefined) {
    if (env.certificateArn === undefined) fail("certificateHostName", "is only used with certificateArn");
    if (!DOMAIN_NAME.test(env.certificateHostName)) {
      fail("certificateHostName", `"${env.certificateHostName}" is not a lower-case domain name`);
    }
  }
  if (env.certificateArn !== undefined) {
    const prefix = `arn:aws:acm:${env.region}:`;
    if (
      !env.certificateArn.startsWith(prefix) ||
      !/:\d{12}:certificate\/[0-9a-f-]{36}$/.test(env.certificateArn)
    ) {
      fail("certificateArn", `must be an ACM certificate ARN in ${env.region}`);
    }
  }

  if (env.allowPlainHttp === true && servesHttps(env)) {
    fail(
      "allowPlainHttp",
      "is only for an environment without domain or certificateArn (it would serve HTTPS)",
    );
  }
}

/** Log retention and expiry, the upload limit and the key administrator. */
function validateRetentionAndApp(env: EnvironmentConfig, fail: Fail): void {
  if (!CLOUDWATCH_RETENTION_DAYS.includes(env.logRetentionDays)) {
    fail("logRetentionDays", `${env.logRetentionDays} is not a CloudWatch Logs retention value`);
  }
  for (const setting of ["accessLogExpirationDays", "noncurrentVersionExpirationDays"] as const) {
    if (!Number.isInteger(env[setting]) || env[setting] < 1)
      fail(setting, "must be a whole number of days >= 1");
  }
  const uploadLimit = APP_UPLOAD_LIMIT_MB; // the app refuses a limit outside the same bounds
  if (
    !Number.isInteger(env.uploadLimitMb) ||
    env.uploadLimitMb < uploadLimit.min ||
    env.uploadLimitMb > uploadLimit.max
  ) {
    fail(
      "uploadLimitMb",
      `${env.uploadLimitMb} must be a whole number of MiB between ${uploadLimit.min} and ${uploadLimit.max}`,
    );
  }
  if (env.keyAdminRoleArn !== undefined && !IAM_ROLE_ARN.test(env.keyAdminRoleArn)) {
    fail("keyAdminRoleArn", `"${env.keyAdminRoleArn}" is not an IAM role ARN`);
  }
}

/** What a highly available environment must add: HTTPS, two instances or tasks, endpoints in every AZ, long logs, protection. */
function validateHighAvailability(env: EnvironmentConfig, fail: Fail): void {
  if (!servesHttps(env) && env.allowPlainHttp !== true) {
    fail(
      "domain",
      "a highly available environment serves HTTPS: set domain (or certificateArn with certificateHostName), " +
        "or allowPlainHttp: true to accept plain HTTP on purpose (README, TLS)",
    );
  }
  const capacity = env.compute ? minimumCapacity(env.compute) : undefined;
  if (capacity !== undefined && capacity.value < 2) {
    fail(capacity.setting, "a highly available environment needs >= 2 instances or tasks");
  }
  if (env.endpointPlacement !== "all-azs") {
    fail("endpointPlacement", "a highly available environment needs endpoints in all AZs");
  }
  if (env.logRetentionDays < 365)
    fail("logRetentionDays", "a highly available environment keeps logs >= 365 days");
  if (!env.deletionProtection) fail("deletionProtection", "must be on in a highly available environment");
}

/**
 * What is valid but must not go unnoticed, one message per setting: an environment that serves plain HTTP, and a
 * domain that is still a placeholder. The app stacks print them as `cdktf synth` warnings.
 */
export function environmentWarnings(env: EnvironmentConfig, at = `environments.${env.name}`): string[] {
  const warnings: string[] = [];
  if (!env.domain && !env.certificateArn) {
    warnings.push(
      `${at}: PLAIN HTTP ONLY (no domain or certificateArn): uploads, cookies and CSRF tokens cross the internet ` +
        "unencrypted. Not for production (README, TLS).",
    );
  }
  for (const [setting, name] of [
    ["domain.domainName", env.domain?.domainName],
    ["certificateHostName", env.certificateHostName],
  ] as const) {
    if (name !== undefined && RESERVED_DOMAIN.test(name)) {
      warnings.push(
        `${at}.${setting}: "${name}" is a placeholder (a reserved name, RFC 2606): replace it before deploying`,
      );
    }
  }
  const zone = env.domain?.hostedZoneId;
  if (zone !== undefined && PLACEHOLDER_ZONE_ID.test(zone)) {
    warnings.push(
      `${at}.domain.hostedZoneId: "${zone}" is a placeholder: replace it with the domain's Route 53 public ` +
        "hosted zone before deploying",
    );
  }
  return warnings;
}

function validateOperations(env: EnvironmentConfig, fail: Fail): void {
  const ops = env.operations;
  if (ops === undefined) {
    fail("operations", "is required (budgetUsageAllowanceUsd, optional alarmEmail and alarmThresholds)");
    return;
  }
  if (ops.alarmEmail !== undefined && !EMAIL.test(ops.alarmEmail)) {
    fail("operations.alarmEmail", `"${ops.alarmEmail}" is not one email address`);
  }
  if (!Number.isFinite(ops.budgetUsageAllowanceUsd) || ops.budgetUsageAllowanceUsd < 0) {
    fail("operations.budgetUsageAllowanceUsd", "must be a number of USD >= 0");
  }
  const t = ops.alarmThresholds ?? {};
  const positive = (name: keyof typeof t, value: number | undefined, max: number) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0 && value <= max)) {
      fail(`operations.alarmThresholds.${name}`, `${value} must be > 0 and <= ${max}`);
    }
  };
  positive("errorRatePercent", t.errorRatePercent, 100);
  positive("errorRateMinRequests", t.errorRateMinRequests, 1_000_000);
  positive("latencyP95Seconds", t.latencyP95Seconds, 60);
  positive("uploadFailures", t.uploadFailures, 1_000_000);
  if (t.environmentHealthLevel !== undefined && ![15, 20, 25].includes(t.environmentHealthLevel)) {
    fail(
      "operations.alarmThresholds.environmentHealthLevel",
      "must be 15 (Warning), 20 (Degraded) or 25 (Severe)",
    );
  }
}

/** Checks every setting; throws one ConfigError that names each wrong setting. Returns the config unchanged. */
export function validateConfig(config: ProjectConfig): ProjectConfig {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{1,20}$/.test(config.project)) {
    problems.push(`project: "${config.project}" must be 2-21 lower-case letters, digits or dashes`);
  }
  validateState(config.state, problems);
  if (config.environments.length === 0) problems.push("environments: at least one environment is needed");
  const seen = new Set<string>();
  config.environments.forEach((env, i) => {
    const at = `environments.${env.name || i}`;
    if (seen.has(env.name)) problems.push(`${at}.name: duplicate environment name`);
    seen.add(env.name);
    validateEnvironment(env, at, problems);
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
