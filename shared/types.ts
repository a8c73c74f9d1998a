/**
 * Types that the configuration and the constructs both speak. They live here, outside `config/`, because constructs
 * never import the configuration (eslint.config.mjs enforces the folder boundaries).
 */

/** Where the interface endpoints live: every AZ (survives an AZ outage) or the first AZ only (half the cost). */
export type EndpointPlacement = "all-azs" | "single-az";

/** CPU architecture of the instances; it decides which wheels the bundle carries. */
export type CpuArchitecture = "arm64" | "x86_64";

/** Let the project create and DNS-validate a certificate for a domain in a Route 53 hosted zone. */
export interface DomainConfig {
  /** Fully qualified name the app is served on, e.g. `images.example.com`. */
  readonly domainName: string;
  /** Route 53 public hosted zone id that holds `domainName`, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
}
