"""Elastic Beanstalk reads settings back the way EB stores them, not the way they were sent.

The provider keeps, for every option it was given, the value DescribeConfigurationSettings returns and compares it
with the configuration after normalising JSON and sorting comma-separated values (terraform-provider-aws,
internal/service/elasticbeanstalk/environment.go: resourceAwsElasticBeanstalkEnvironmentSettingsRead,
optionSettingValueHash). A model that returns exactly what was sent hides every perpetual diff; EB rewrites two
values this project sets:

- Shared Application Load Balancer: EB adds the environment's CNAME to the host-header condition of the listener
  rules it creates on a shared load balancer, the default rule and the rules named in `aws:elbv2:listenerrule:NAME`
  (EB guide, "Configuring a shared Application Load Balancer",
  https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environments-cfg-alb-shared.html: the CNAME is added "to
  resolve listener rule condition conflicts"). DescribeConfigurationSettings then answers `HostHeaders` as
  `host,CNAME` (terraform-provider-aws#1471, comment of 2024-06-17: `api.redacted.com,ec1-eb-api-dev.eba-....
  elasticbeanstalk.com` against a configured `api.redacted.com`; #15755 shows the same for a rule on port 443).
- Enhanced health's `ConfigDocument` (`aws:elasticbeanstalk:healthreporting:system`): EB returns the whole
  document, `Version`, `CloudWatchMetrics` with both its `Instance` and `Environment` sections, and `Rules` with the
  health rules' defaults (`ApplicationRequests4xx` and `ELBRequests4xx` enabled), whatever part of it was sent (EB
  guide, "Enhanced health rules" and "Publishing Amazon CloudWatch custom metrics for an environment",
  https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-rules.html,
  https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-cloudwatch.html; a real
  DescribeConfigurationSettings answer of an environment in turbot/steampipe-plugin-aws#1916:
  `{"Version":1,"CloudWatchMetrics":{"Instance":{},"Environment":{}},"Rules":{"Environment":{"ELB":
  {"ELBRequests4xx":{"Enabled":true}},"Application":{"ApplicationRequests4xx":{"Enabled":true}}}}}`).
  An environment with enhanced health and no document sent reads back that default document.
"""

import copy
import json
from typing import Any

HEALTH = "aws:elasticbeanstalk:healthreporting:system"
LISTENER_RULE = "aws:elbv2:listenerrule:"
DEFAULT_RULES = {
    "Environment": {
        "Application": {"ApplicationRequests4xx": {"Enabled": True}},
        "ELB": {"ELBRequests4xx": {"Enabled": True}},
    }
}


def _merge(defaults: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(defaults)
    for key, value in sent.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def filled_config_document(sent: str | None) -> str:
    """The ConfigDocument as EB returns it: the sent parts over EB's full default document."""
    document = json.loads(sent) if sent else {}
    defaults = {"Version": 1, "CloudWatchMetrics": {"Instance": {}, "Environment": {}}, "Rules": DEFAULT_RULES}
    return json.dumps(_merge(defaults, document), separators=(",", ":"))


def with_cname(hosts: str, cname: str) -> str:
    """`host` -> `host,CNAME`: EB appends the environment CNAME unless the condition already names it."""
    values = [h for h in hosts.split(",") if h] if hosts else []
    if cname.lower() not in (h.lower() for h in values):
        values.append(cname)
    return ",".join(values)


def stored_settings(settings: list[dict[str, str]], cname: str) -> list[dict[str, str]]:
    """The option settings as EB stores them for an environment with this CNAME."""
    values = {(s["Namespace"], s["OptionName"]): s["Value"] for s in settings}
    shared = values.get(("aws:elasticbeanstalk:environment", "LoadBalancerIsShared"), "").lower() == "true"
    enhanced = values.get((HEALTH, "SystemType")) == "enhanced"
    out = []
    for setting in settings:
        setting = dict(setting)
        if shared and setting["Namespace"].startswith(LISTENER_RULE) and setting["OptionName"] == "HostHeaders":
            setting["Value"] = with_cname(setting["Value"], cname)
        if setting["Namespace"] == HEALTH and setting["OptionName"] == "ConfigDocument":
            setting["Value"] = filled_config_document(setting["Value"])
        out.append(setting)
    if enhanced and (HEALTH, "ConfigDocument") not in values:
        out.append({"Namespace": HEALTH, "OptionName": "ConfigDocument", "Value": filled_config_document(None)})
    if shared and (f"{LISTENER_RULE}default", "HostHeaders") not in values:
        # EB's own default rule on a shared load balancer matches the CNAME only.
        out.append({"Namespace": f"{LISTENER_RULE}default", "OptionName": "HostHeaders", "Value": cname})
    return out


def install() -> None:
    from moto.elasticbeanstalk import responses

    response_class = responses.EBResponse
    original = response_class.describe_configuration_settings

    def describe_configuration_settings(self: Any) -> Any:
        result = original(self)
        env = self._environment(None, self._get_param("EnvironmentName"))
        for description in result.result["ConfigurationSettings"]:
            description["OptionSettings"] = stored_settings(description["OptionSettings"], env["CNAME"])
        return result

    response_class.describe_configuration_settings = describe_configuration_settings  # type: ignore[method-assign]
