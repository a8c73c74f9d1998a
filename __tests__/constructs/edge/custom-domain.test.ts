import { Testing } from "cdktf";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { addValidatedCertificate } from "../../../constructs/edge/custom-domain";
import { Resource, SynthesizedStack, onlyResource, refOf, resourcesOf } from "../../../test-support/synth";

const DOMAIN = { domainName: "images.example.com", hostedZoneId: "Z0123456789ABC" };
const json = Testing.synthScope((scope) => {
  addValidatedCertificate(scope, DOMAIN);
});
const parsed = JSON.parse(json) as SynthesizedStack;

describe("addValidatedCertificate", () => {
  test("creates a DNS-validated certificate for the domain", () => {
    expect(json).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: DOMAIN.domainName,
      validation_method: "DNS",
    });
  });

  test("writes the validation record into the hosted zone and waits for validation", () => {
    const [certName] = Object.keys(resourcesOf(parsed, "aws_acm_certificate"));
    const options = `tolist(aws_acm_certificate.${certName}.domain_validation_options).0`;
    const records = Object.entries(resourcesOf(parsed, "aws_route53_record"));
    const [recordName, record] = records.find(([, r]) => r.type !== "A") as [string, Resource];
    expect(record).toMatchObject({
      zone_id: DOMAIN.hostedZoneId,
      name: `\${${options}.resource_record_name}`,
      type: `\${${options}.resource_record_type}`,
      records: [`\${${options}.resource_record_value}`],
    });
    const validation = onlyResource(parsed, "aws_acm_certificate_validation");
    expect(validation.certificate_arn).toBe(refOf("aws_acm_certificate", certName, "arn"));
    expect(validation.validation_record_fqdns).toEqual([refOf("aws_route53_record", recordName, "fqdn")]);
  });
});
