import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DomainConfig } from "../shared/types";
import { EncryptionKey } from "./encryption-key";
import { wafRuleBlocks } from "./waf-rule-blocks";
import { logsServiceKeyStatement } from "./policies/kms";

/** How the HTTPS listener gets its certificate: an existing ACM certificate, or one created for a Route 53 domain. */
export type LoadBalancerTls =
  { readonly certificateArn: string; readonly hostName: string } | { readonly domain: DomainConfig };

/** The optional WAFv2 web ACL in front of the load balancer. */
export interface LoadBalancerWafProps {
  /**
   * Requests one client IP may send in 5 minutes before the rate-based rule blocks it (WAF accepts 10 to
   * 2,000,000,000). 1000 is about 3 requests a second sustained: far above what one person browsing images sends.
   * @default 1000
   */
  readonly rateLimitPerFiveMinutes?: number;
  /** Days the WAF logs (CloudWatch Logs) are kept; one of the values CloudWatch accepts. */
  readonly logRetentionDays: number;
  /** Account of the log group and its KMS key (a token is fine). */
  readonly accountId: string;
  /** Region of the load balancer; names the CloudWatch Logs service principal in the key policy. */
  readonly region: string;
  /** Role allowed to administer the WAF log key. @default no extra administrator (IAM of the account decides) */
  readonly keyAdministratorRoleArn?: string;
}

export interface LoadBalancerProps {
  /** Prefix of resource names, e.g. `imageshare-prod`; the ALB name (`<prefix>-alb`) must fit in 32 characters. */
  readonly namePrefix: string;
  /** VPC of the load balancer's security group. */
  readonly vpcId: string;
  /** Public subnets, one per AZ (an ALB needs at least two AZs). */
  readonly publicSubnetIds: string[];
  /** Client CIDRs allowed to reach the listeners. */
  readonly allowedIngressCidrs: readonly string[];
  /** Where access logs go; the bucket policy letting ELB deliver them belongs to the bucket's owner. */
  readonly accessLogs: {
    /** Name of the log bucket (SSE-S3: ALB log delivery supports nothing else). */
    readonly bucketName: string;
    /** Key prefix inside the bucket, without leading or trailing slash. */
    readonly prefix: string;
    /**
     * Resources the load balancer must wait for (the bucket policy): AWS checks delivery access when logging is
     * turned on. @default none
     */
    readonly dependsOn?: ITerraformDependable[];
  };
  /** Certificate for the HTTPS listener. @default none: plain HTTP on port 80 only, NOT for production */
  readonly tls?: LoadBalancerTls;
  /**
   * TLS policy of the HTTPS listener. The default is the one AWS recommends: TLS 1.3 and 1.2 (for reach), only
   * forward-secret AEAD ciphers, hybrid post-quantum key exchange for clients that offer it.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
   * @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
   */
  readonly sslPolicy?: string;
  /** Refuse to delete the load balancer through the API. @default true */
  readonly deletionProtection?: boolean;
  /**
   * Seconds a client connection may stay idle. 60 matches nginx's proxy_read_timeout on the instances, so neither
   * hop cuts a request the other still waits for. @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * HTTP desync (request smuggling) protection. `strictest` rejects every request that is not RFC 7230 compliant;
   * `defensive` lets "acceptable" ambiguous requests through. Browsers send compliant requests, so strictest
   * costs nothing here.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode
   * @default "strictest"
   */
  readonly desyncMitigationMode?: "strictest" | "defensive";
  /** Attach a WAFv2 web ACL (managed rule sets + per-IP rate limit, logged). @default no WAF */
  readonly waf?: LoadBalancerWafProps;
}

/** Secure defaults, in one place. */
const DEFAULTS = {
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  deletionProtection: true,
  idleTimeoutSeconds: 60,
  desyncMitigationMode: "strictest",
  rateLimitPerFiveMinutes: 1000,
} as const;

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

/** What a listener answers when no Elastic Beanstalk host-header rule matches: nothing about the app. */
const NOT_FOUND: LbListenerDefaultAction = {
  type: "fixed-response",
  fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" },
};

/**
 * The internet-facing Application Load Balancer that Elastic Beanstalk uses as a *shared* load balancer: every
 * security setting of the ALB, its listeners, security group and web ACL lives here, where tests and scanners see it.
 * EB adds its target group and host-header rules to the listeners; `allowForwardingTo` opens the way to the instances.
 */
export class LoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly loadBalancerArn: string;
  readonly dnsName: string;
  /** Route 53 hosted zone of the ALB's DNS name (for alias records). */
  readonly zoneId: string;
  readonly securityGroupId: string;
  /** The port-80 listener: serves the app without TLS, redirects to HTTPS with it. */
  readonly httpListenerArn: string;
  /** The port-443 listener; undefined without TLS. */
  readonly httpsListenerArn?: string;
  readonly tlsEnabled: boolean;
  /** The listener EB must attach its rules to: 443 with TLS, 80 without. */
  readonly servingListenerPort: number;
  /** The host name the app is served on (the domain, or the certificate's host name); undefined without TLS. */
  readonly domainName?: string;
  /** Where users reach the app. */
  readonly url: string;
  /**
   * The listeners and our own listener rules: the environment must be created after them (EB names the serving
   * listener in its settings, and its rule priorities are placed below the rules that already exist).
   */
  readonly listeners: ITerraformDependable[] = [];
  readonly webAcl?: Wafv2WebAcl;
  private forwardingRules = 0;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const albName = `${props.namePrefix}-alb`;
    if (albName.length > 32) {
      throw new Error(
        `LoadBalancer namePrefix: "${albName}" is longer than the 32 characters an ALB name allows`,
      );
    }
    if (props.publicSubnetIds.length < 2) {
      throw new Error("LoadBalancer publicSubnetIds: an Application Load Balancer needs subnets in two AZs");
    }
    this.tlsEnabled = props.tls !== undefined;
    this.servingListenerPort = this.tlsEnabled ? HTTPS_PORT : HTTP_PORT;

    const securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.namePrefix}-alb`,
      description: "Internet-facing ALB: listener ports from allowed CIDRs, out only to the app instances",
      vpcId: props.vpcId,
      // No inline rules: the rules are separate resources below. On create, the provider also revokes the
      // allow-all egress rule AWS adds to every new VPC security group.
      // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
    });
    this.securityGroupId = securityGroup.id;
    const listenerPorts = this.tlsEnabled ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
    props.allowedIngressCidrs.forEach((cidr, i) => {
      for (const port of listenerPorts) {
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${i}`, {
          securityGroupId: securityGroup.id,
          description: `${port === HTTPS_PORT ? "HTTPS" : "HTTP"} from allowed clients ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
    });

    this.loadBalancer = new Lb(this, "alb", {
      name: albName,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: props.publicSubnetIds,
      securityGroups: [securityGroup.id],
      enableDeletionProtection: props.deletionProtection ?? DEFAULTS.deletionProtection,
      // Drop headers whose names are not valid HTTP tokens instead of forwarding them to nginx and the app.
      dropInvalidHeaderFields: true,
      desyncMitigationMode: props.desyncMitigationMode ?? DEFAULTS.desyncMitigationMode,
      idleTimeout: props.idleTimeoutSeconds ?? DEFAULTS.idleTimeoutSeconds,
      enableHttp2: true,
      // Targets get the Host the listener rule matched (port stripped); nothing upstream needs the raw header.
      preserveHostHeader: false,
      // The ALB appends the client address to X-Forwarded-For; the app trusts only the hops it knows.
      xffHeaderProcessingMode: "append",
      enableXffClientPort: false,
      // If WAF cannot answer, refuse the request rather than let it through uninspected.
      enableWafFailOpen: false,
      accessLogs: {
        enabled: true,
        bucket: props.accessLogs.bucketName,
        prefix: props.accessLogs.prefix,
      },
      dependsOn: props.accessLogs.dependsOn,
    });
    this.loadBalancerArn = this.loadBalancer.arn;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    if (props.tls) {
      const certificateArn =
        "certificateArn" in props.tls
          ? props.tls.certificateArn
          : this.validatedCertificate(props.tls.domain);
      this.domainName = "domain" in props.tls ? props.tls.domain.domainName : props.tls.hostName;
      const https = new LbListener(this, "https-listener", {
        loadBalancerArn: this.loadBalancer.arn,
        port: HTTPS_PORT,
        protocol: "HTTPS",
        certificateArn,
        sslPolicy: props.sslPolicy ?? DEFAULTS.sslPolicy,
        defaultAction: [NOT_FOUND],
      });
      this.httpsListenerArn = https.arn;
      const toHttps = {
        type: "redirect",
        redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" },
      };
      const http = new LbListener(this, "http-listener", {
        loadBalancerArn: this.loadBalancer.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultAction: [toHttps],
      });
      this.httpListenerArn = http.arn;
      // On a shared ALB, EB attaches its default forward rule (host = the environment CNAME) to a port-80 listener
      // "if one exists" (EB guide, "Configuring a shared Application Load Balancer"); whether it also does so when
      // another listener is named is not documented. Such a rule would outrank the listener's redirect and serve
      // the CNAME over plain HTTP. So port 80 gets a catch-all redirect rule at priority 1: EB maps an environment's
      // rule priorities below the rules already on the listener (same guide; EB console: "this environment's rules
      // are adjusted to have lower priority than existing rules"), so nothing EB adds can come first.
      const redirectRule = new LbListenerRule(this, "http-redirect-rule", {
        listenerArn: http.arn,
        priority: 1,
        condition: [{ pathPattern: { values: ["*"] } }],
        action: [toHttps],
      });
      this.listeners.push(https, http, redirectRule);
      if ("domain" in props.tls) this.aliasRecord(props.tls.domain);
    } else {
      const http = new LbListener(this, "http-listener", {
        loadBalancerArn: this.loadBalancer.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultAction: [NOT_FOUND],
      });
      this.httpListenerArn = http.arn;
      this.listeners.push(http);
    }
    this.url = this.domainName
      ? `https://${this.domainName}`
      : `${this.tlsEnabled ? "https" : "http"}://${this.dnsName}`;

    if (props.waf) this.webAcl = this.attachWebAcl(props.namePrefix, props.waf);
  }

  /**
   * Lets the load balancer forward to the app instances: the only egress rule of its security group. The instance
   * security group needs the matching ingress rule (from `securityGroupId`).
   */
  allowForwardingTo(instanceSecurityGroupId: string, port: number): void {
    new VpcSecurityGroupEgressRule(this, `egress-to-instances-${this.forwardingRules++}`, {
      securityGroupId: this.securityGroupId,
      description: `HTTP to the app instances on port ${port}`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: instanceSecurityGroupId,
    });
  }

  /** An ACM certificate for the domain, validated through DNS records in its hosted zone; returns the validated ARN. */
  private validatedCertificate(domain: DomainConfig): string {
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: domain.domainName,
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      lifecycle: { createBeforeDestroy: true },
    });
    // One domain name, so exactly one validation record.
    const option = certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, "certificate-validation-record", {
      zoneId: domain.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 60,
      allowOverwrite: true,
    });
    return new AcmCertificateValidation(this, "certificate-validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }).certificateArn;
  }

  /** The domain's A record, an alias of the load balancer. */
  private aliasRecord(domain: DomainConfig): void {
    new Route53Record(this, "alias-record", {
      zoneId: domain.hostedZoneId,
      name: domain.domainName,
      type: "A",
      alias: { name: this.dnsName, zoneId: this.zoneId, evaluateTargetHealth: true },
    });
  }

  /** The web ACL: AWS core and known-bad-inputs rule sets, a per-IP rate limit, every rule measured; logged. */
  private attachWebAcl(namePrefix: string, waf: LoadBalancerWafProps): Wafv2WebAcl {
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    // `statement` is untyped in the provider bindings and passes through as written: snake_case keys (wafRuleBlocks
    // writes it as nested blocks in the HCL export).
    const rules: Wafv2WebAclRule[] = [
      {
        name: "rate-limit-per-ip",
        priority: 10,
        action: { block: {} },
        statement: {
          rate_based_statement: {
            limit: waf.rateLimitPerFiveMinutes ?? DEFAULTS.rateLimitPerFiveMinutes,
            aggregate_key_type: "IP",
            evaluation_window_sec: 300,
          },
        },
        visibilityConfig: visibility(`${namePrefix}-rate-limit-per-ip`),
      },
      {
        name: "aws-common-rule-set",
        priority: 20,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: "AWS",
            name: "AWSManagedRulesCommonRuleSet",
            // SizeRestrictions_BODY blocks every body over 8 KB, i.e. every image upload. Count it instead; the
            // upload size limit is enforced by nginx and the app.
            // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
            rule_action_override: [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }],
          },
        },
        visibilityConfig: visibility(`${namePrefix}-aws-common-rule-set`),
      },
      {
        name: "aws-known-bad-inputs",
        priority: 30,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" },
        },
        visibilityConfig: visibility(`${namePrefix}-aws-known-bad-inputs`),
      },
    ];
    const webAcl = new Wafv2WebAcl(this, "web-acl", {
      name: `${namePrefix}-web-acl`,
      description: "Managed rule sets and a per-IP rate limit in front of the app load balancer",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: wafRuleBlocks(rules),
      visibilityConfig: visibility(`${namePrefix}-web-acl`),
    });
    new Wafv2WebAclAssociation(this, "web-acl-association", {
      resourceArn: this.loadBalancer.arn,
      webAclArn: webAcl.arn,
    });

    // WAF only delivers to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${namePrefix}`;
    const key = new EncryptionKey(this, "waf-log-key", {
      description: `Encrypts the WAF logs of ${namePrefix}`,
      alias: `alias/${namePrefix}-waf-logs`,
      accountId: waf.accountId,
      administratorRoleArn: waf.keyAdministratorRoleArn,
    });
    key.addPolicyStatement(logsServiceKeyStatement(waf.region, waf.accountId, logGroupName));
    const logGroup = new CloudwatchLogGroup(this, "waf-log-group", {
      name: logGroupName,
      retentionInDays: waf.logRetentionDays,
      kmsKeyId: key.keyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "web-acl-logging", {
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      // Session cookies and credentials do not belong in logs.
      redactedFields: [{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }],
    });
    return webAcl;
  }
}
