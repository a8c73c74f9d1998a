import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { DomainConfig } from "../../shared/types";
import { WebAclSettings, addWebAcl } from "./web-acl";
import { addAliasRecord, addValidatedCertificate } from "./custom-domain";
import { allowTcp } from "../network/security-group-rules";

/** How the HTTPS listener gets its certificate: an existing ACM certificate, or one created for a Route 53 domain. */
export type LoadBalancerTls =
  { readonly certificateArn: string; readonly hostName: string } | { readonly domain: DomainConfig };

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
  readonly waf?: WebAclSettings;
}

/** Secure defaults, in one place. */
const DEFAULTS = {
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  deletionProtection: true,
  idleTimeoutSeconds: 60,
  desyncMitigationMode: "strictest",
} as const;

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

/** The listeners one configuration creates, and the host name it serves (TLS only). */
interface Listeners {
  readonly http: LbListener;
  readonly https?: LbListener;
  readonly domainName?: string;
}

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

    this.securityGroupId = this.createSecurityGroup(props);

    this.loadBalancer = this.createAlb(albName, props);
    this.loadBalancerArn = this.loadBalancer.arn;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    const listeners = props.tls
      ? this.createTlsListeners(props.tls, props.sslPolicy ?? DEFAULTS.sslPolicy)
      : this.createPlainHttpListener();
    this.httpListenerArn = listeners.http.arn;
    this.httpsListenerArn = listeners.https?.arn;
    this.domainName = listeners.domainName;
    this.url = this.domainName
      ? `https://${this.domainName}`
      : `${this.tlsEnabled ? "https" : "http"}://${this.dnsName}`;

    if (props.waf) {
      this.webAcl = addWebAcl(this, {
        ...props.waf,
        namePrefix: props.namePrefix,
        resourceArn: this.loadBalancer.arn,
      });
    }
  }

  /**
   * Lets the load balancer forward to the app instances: the only egress rule of its security group. The instance
   * security group needs the matching ingress rule (from `securityGroupId`).
   */
  allowForwardingTo(instanceSecurityGroupId: string, port: number): void {
    allowTcp(this, `egress-to-instances-${this.forwardingRules++}`, {
      securityGroupId: this.securityGroupId,
      direction: "egress",
      port,
      peer: { referencedSecurityGroupId: instanceSecurityGroupId },
      description: `HTTP to the app instances on port ${port}`,
    });
  }

  /** The ALB itself, hardened: the settings of every request it accepts and forwards. */
  private createAlb(albName: string, props: LoadBalancerProps): Lb {
    return new Lb(this, "alb", {
      name: albName,
      loadBalancerType: "application",
      internal: false,
      ipAddressType: "ipv4",
      subnets: props.publicSubnetIds,
      securityGroups: [this.securityGroupId],
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
  }

  /** The ALB's own security group: the listener ports from the allowed CIDRs; egress only by allowForwardingTo. */
  private createSecurityGroup(props: LoadBalancerProps): string {
    const securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.namePrefix}-alb`,
      description: "Internet-facing ALB: listener ports from allowed CIDRs, out only to the app instances",
      vpcId: props.vpcId,
      // No inline rules: the rules are separate resources below. On create, the provider also revokes the
      // allow-all egress rule AWS adds to every new VPC security group.
      // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
    });
    const listenerPorts = this.tlsEnabled ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
    props.allowedIngressCidrs.forEach((cidr, i) => {
      for (const port of listenerPorts) {
        allowTcp(this, `ingress-${port}-${i}`, {
          securityGroupId: securityGroup.id,
          direction: "ingress",
          port,
          peer: { cidrIpv4: cidr },
          description: `${port === HTTPS_PORT ? "HTTPS" : "HTTP"} from allowed clients ${cidr}`,
        });
      }
    });
    return securityGroup.id;
  }

  /**
   * HTTPS on 443 with the certificate, answering 404 unless an EB rule matches; port 80 only redirects to it. Adds
   * the domain's alias record when the certificate is created for a Route 53 domain.
   */
  private createTlsListeners(tls: LoadBalancerTls, sslPolicy: string): Listeners {
    const certificateArn =
      "certificateArn" in tls ? tls.certificateArn : addValidatedCertificate(this, tls.domain);
    const https = new LbListener(this, "https-listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      certificateArn,
      sslPolicy,
      defaultAction: [NOT_FOUND],
    });
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
    if ("domain" in tls) addAliasRecord(this, tls.domain, this);
    return { http, https, domainName: "domain" in tls ? tls.domain.domainName : tls.hostName };
  }

  /** Without TLS: plain HTTP on port 80, answering 404 unless an EB rule matches. */
  private createPlainHttpListener(): Listeners {
    const http = new LbListener(this, "http-listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultAction: [NOT_FOUND],
    });
    this.listeners.push(http);
    return { http };
  }
}
