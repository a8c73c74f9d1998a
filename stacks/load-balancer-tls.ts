import { EnvironmentConfig } from "../config";
import { LoadBalancerTls } from "../constructs/edge/load-balancer";

/** The TLS choice of an environment: a domain to certify, an existing certificate, or none (plain HTTP). */
export function loadBalancerTls(
  env: Pick<EnvironmentConfig, "domain" | "certificateArn" | "certificateHostName">,
): LoadBalancerTls | undefined {
  if (env.domain) return { domain: env.domain };
  if (env.certificateArn) {
    if (!env.certificateHostName) throw new Error("certificateHostName is required with certificateArn");
    return { certificateArn: env.certificateArn, hostName: env.certificateHostName };
  }
  return undefined;
}
