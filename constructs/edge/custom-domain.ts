import { Construct } from "constructs";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { DomainConfig } from "../../shared/types";

/*
 * A Route 53 domain for a load balancer: its certificate and its alias record. Both add to the caller's scope (the
 * load balancer), not to a construct of their own, so the resources keep the Terraform addresses they were deployed
 * with.
 */

/** An ACM certificate for the domain, validated through DNS records in its hosted zone; returns the validated ARN. */
export function addValidatedCertificate(scope: Construct, domain: DomainConfig): string {
  const certificate = new AcmCertificate(scope, "certificate", {
    domainName: domain.domainName,
    validationMethod: "DNS",
    keyAlgorithm: "EC_prime256v1",
    lifecycle: { createBeforeDestroy: true },
  });
  // One domain name, so exactly one validation record.
  const option = certificate.domainValidationOptions.get(0);
  const record = new Route53Record(scope, "certificate-validation-record", {
    zoneId: domain.hostedZoneId,
    name: option.resourceRecordName,
    type: option.resourceRecordType,
    records: [option.resourceRecordValue],
    ttl: 60,
    allowOverwrite: true,
  });
  return new AcmCertificateValidation(scope, "certificate-validation", {
    certificateArn: certificate.arn,
    validationRecordFqdns: [record.fqdn],
  }).certificateArn;
}

/** The domain's A record, an alias of the load balancer (its DNS name and hosted zone). */
export function addAliasRecord(
  scope: Construct,
  domain: DomainConfig,
  target: { readonly dnsName: string; readonly zoneId: string },
): void {
  new Route53Record(scope, "alias-record", {
    zoneId: domain.hostedZoneId,
    name: domain.domainName,
    type: "A",
    alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
  });
}
