"""Elastic Beanstalk as the EB API reference describes it, for what Terraform's AWS provider calls.

moto implements applications, environments (without option settings, ids or CNAMEs), solution stacks and
environment tags only; the provider also needs application versions, DescribeConfigurationSettings,
DescribeEnvironmentResources, DescribeEvents, UpdateEnvironment, TerminateEnvironment and tags on applications and
versions. This module replaces moto's EB actions with a small model of the documented behaviour
(EB API reference, https://docs.aws.amazon.com/elasticbeanstalk/latest/api/):

- CreateApplicationVersion records a source bundle that must exist in S3 (EB: "Unable to download from S3
  location" otherwise); DeleteApplicationVersion refuses a version an environment runs.
- CreateEnvironment/UpdateEnvironment validate every option setting against the namespaces and option names of the
  EB guide ("Configuration options", "General options for all environments",
  https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html, and the Python platform's
  "aws:elasticbeanstalk:container:python"): a misspelt namespace or option fails with
  ConfigurationValidationException "Invalid option specification (Namespace: 'N', OptionName: 'O'): Unknown
  configuration setting.", as CreateEnvironment does. Values of enumerated and boolean options are checked too.
- DescribeConfigurationSettings returns the options set, plus the documented defaults of options not set, as one
  configuration settings description (the provider expects exactly one).
- CNAMEPrefix gives the CNAME `PREFIX.REGION.elasticbeanstalk.com` (taken prefixes are refused, as
  CheckDNSAvailability reports them); without one EB generates `NAME.eba-XXXXXXXX.REGION.elasticbeanstalk.com`.
- ListAvailableSolutionStacks lists current Amazon Linux 2023 Python platform versions first (the API returns "the
  public version first and then in reverse chronological order"); CreateEnvironment refuses a stack not listed
  ("No Solution Stack named '...' found.").
- An environment is Ready once created or updated (no instances: the emulator runs no EC2); TerminateEnvironment
  moves it to Terminated, and terminated environments stay visible to DescribeEnvironments (IncludeDeleted).
"""

import re
import secrets
import string
from datetime import UTC, datetime
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, EmptyResult

PYTHON_PLATFORM = "64bit Amazon Linux 2023 v4.9.0 running Python"
# Amazon Linux 2023 Python platform branches of the current platform version (EB "Python platform history"; the
# project's configured stack reported Ready on v4.9.0 in Dec 2025), newest Python first, then the previous version.
SOLUTION_STACKS = [
    f"{PYTHON_PLATFORM} 3.13",
    f"{PYTHON_PLATFORM} 3.12",
    f"{PYTHON_PLATFORM} 3.11",
    f"{PYTHON_PLATFORM} 3.9",
    "64bit Amazon Linux 2023 v4.8.0 running Python 3.11",
]

BOOL = {"true", "false"}
ANY = None  # any value

# Namespace -> option -> allowed values (None: free text). From the EB guide's option tables.
OPTIONS: dict[str, dict[str, set[str] | None]] = {
    "aws:autoscaling:asg": {
        "Availability Zones": {"Any", "Any 1", "Any 2", "Any 3"},
        "Cooldown": ANY,
        "Custom Availability Zones": ANY,
        "EnableCapacityRebalancing": BOOL,
        "MinSize": ANY,
        "MaxSize": ANY,
    },
    "aws:autoscaling:launchconfiguration": {
        "DisableDefaultEC2SecurityGroup": BOOL,
        "DisableIMDSv1": BOOL,
        "EC2KeyName": ANY,
        "IamInstanceProfile": ANY,
        "ImageId": ANY,
        "InstanceType": ANY,
        "LaunchTemplateTagPropagationEnabled": BOOL,
        "MonitoringInterval": {"1 minute", "5 minute"},
        "SecurityGroups": ANY,
        "SSHSourceRestriction": ANY,
        "BlockDeviceMappings": ANY,
        "RootVolumeType": {"standard", "gp2", "gp3", "io1", "io2"},
        "RootVolumeSize": ANY,
        "RootVolumeIOPS": ANY,
        "RootVolumeThroughput": ANY,
    },
    "aws:autoscaling:scheduledaction": {
        "DesiredCapacity": ANY,
        "EndTime": ANY,
        "MaxSize": ANY,
        "MinSize": ANY,
        "Recurrence": ANY,
        "StartTime": ANY,
        "Suspend": BOOL,
    },
    "aws:autoscaling:trigger": {
        "BreachDuration": ANY,
        "LowerBreachScaleIncrement": ANY,
        "LowerThreshold": ANY,
        "MeasureName": ANY,
        "Period": ANY,
        "EvaluationPeriods": ANY,
        "Statistic": {"Minimum", "Maximum", "Sum", "Average"},
        "Unit": ANY,
        "UpperBreachScaleIncrement": ANY,
        "UpperThreshold": ANY,
    },
    "aws:autoscaling:updatepolicy:rollingupdate": {
        "MaxBatchSize": ANY,
        "MinInstancesInService": ANY,
        "RollingUpdateEnabled": BOOL,
        "RollingUpdateType": {"Time", "Health", "Immutable"},
        "PauseTime": ANY,
        "Timeout": ANY,
    },
    "aws:ec2:instances": {
        "EnableSpot": BOOL,
        "InstanceTypes": ANY,
        "SpotAllocationStrategy": ANY,
        "SpotFleetOnDemandBase": ANY,
        "SpotFleetOnDemandAboveBasePercentage": ANY,
        "SpotMaxPrice": ANY,
        "SupportedArchitectures": {"x86_64", "arm64", "i386"},
    },
    "aws:ec2:vpc": {
        "VPCId": ANY,
        "Subnets": ANY,
        "ELBSubnets": ANY,
        "ELBScheme": {"public", "internal"},
        "DBSubnets": ANY,
        "AssociatePublicIpAddress": BOOL,
    },
    "aws:elasticbeanstalk:application": {"Application Healthcheck URL": ANY},
    "aws:elasticbeanstalk:cloudwatch:logs": {
        "StreamLogs": BOOL,
        "DeleteOnTerminate": BOOL,
        "RetentionInDays": ANY,
    },
    "aws:elasticbeanstalk:cloudwatch:logs:health": {
        "HealthStreamingEnabled": BOOL,
        "DeleteOnTerminate": BOOL,
        "RetentionInDays": ANY,
    },
    "aws:elasticbeanstalk:command": {
        "DeploymentPolicy": {"AllAtOnce", "Rolling", "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting"},
        "Timeout": ANY,
        "BatchSizeType": {"Percentage", "Fixed"},
        "BatchSize": ANY,
        "IgnoreHealthCheck": BOOL,
    },
    "aws:elasticbeanstalk:environment": {
        "EnvironmentType": {"SingleInstance", "LoadBalanced"},
        "ServiceRole": ANY,
        "LoadBalancerType": {"classic", "application", "network"},
        "LoadBalancerIsShared": BOOL,
    },
    "aws:elasticbeanstalk:environment:proxy": {"ProxyServer": {"nginx", "none", "apache"}},
    "aws:elasticbeanstalk:healthreporting:system": {
        "ConfigDocument": ANY,
        "EnhancedHealthAuthEnabled": BOOL,
        "HealthCheckSuccessThreshold": {"Ok", "Warning", "Degraded", "Severe"},
        "SystemType": {"basic", "enhanced"},
    },
    "aws:elasticbeanstalk:hostmanager": {"LogPublicationControl": BOOL},
    "aws:elasticbeanstalk:managedactions": {
        "ManagedActionsEnabled": BOOL,
        "PreferredStartTime": ANY,
        "ServiceRoleForManagedUpdates": ANY,
    },
    "aws:elasticbeanstalk:managedactions:platformupdate": {
        "UpdateLevel": {"patch", "minor"},
        "InstanceRefreshEnabled": BOOL,
    },
    "aws:elasticbeanstalk:monitoring": {"Automatically Terminate Unhealthy Instances": BOOL},
    "aws:elasticbeanstalk:sns:topics": {
        "Notification Endpoint": ANY,
        "Notification Protocol": ANY,
        "Notification Topic ARN": ANY,
        "Notification Topic Name": ANY,
    },
    "aws:elasticbeanstalk:xray": {"XRayEnabled": BOOL},
    "aws:elasticbeanstalk:container:python": {"WSGIPath": ANY, "NumProcesses": ANY, "NumThreads": ANY},
    "aws:elbv2:loadbalancer": {
        "AccessLogsS3Bucket": ANY,
        "AccessLogsS3Enabled": BOOL,
        "AccessLogsS3Prefix": ANY,
        "IdleTimeout": ANY,
        "ManagedSecurityGroup": ANY,
        "SecurityGroups": ANY,
        "SharedLoadBalancer": ANY,
    },
}
# Namespaces with a name part chosen by the user (listener port, rule name, process name) and their options.
TEMPLATED: list[tuple[re.Pattern[str], dict[str, set[str] | None]]] = [
    (
        re.compile(r"aws:elbv2:listener:(default|\d+)"),
        {
            "DefaultProcess": ANY,
            "ListenerEnabled": BOOL,
            "Protocol": {"HTTP", "HTTPS"},
            "Rules": ANY,
            "SSLCertificateArns": ANY,
            "SSLPolicy": ANY,
        },
    ),
    (
        re.compile(r"aws:elbv2:listenerrule:[A-Za-z0-9]+"),
        {"HostHeaders": ANY, "PathPatterns": ANY, "Priority": ANY, "Process": ANY},
    ),
    (
        re.compile(r"aws:elasticbeanstalk:environment:process:[A-Za-z0-9_-]+"),
        {
            "DeregistrationDelay": ANY,
            "HealthCheckInterval": ANY,
            "HealthCheckPath": ANY,
            "HealthCheckTimeout": ANY,
            "HealthyThresholdCount": ANY,
            "MatcherHTTPCode": ANY,
            "Port": ANY,
            "Protocol": {"HTTP", "HTTPS"},
            "StickinessEnabled": BOOL,
            "StickinessLBCookieDuration": ANY,
            "StickinessType": {"lb_cookie"},
            "UnhealthyThresholdCount": ANY,
        },
    ),
]
# Namespaces whose option names are the user's own (environment properties, static-file paths, custom options).
FREE_FORM = {
    "aws:elasticbeanstalk:application:environment",
    "aws:elasticbeanstalk:environment:proxy:staticfiles",
    "aws:elasticbeanstalk:customoption",
}
# Defaults EB reports for options not set (EB guide option tables).
DEFAULTS: dict[tuple[str, str], str] = {
    ("aws:elasticbeanstalk:command", "Timeout"): "600",
    ("aws:elasticbeanstalk:command", "IgnoreHealthCheck"): "false",
    ("aws:elasticbeanstalk:container:python", "WSGIPath"): "application",
    ("aws:elasticbeanstalk:environment:proxy", "ProxyServer"): "nginx",
    ("aws:elasticbeanstalk:hostmanager", "LogPublicationControl"): "false",
    ("aws:elasticbeanstalk:xray", "XRayEnabled"): "false",
    ("aws:autoscaling:asg", "Availability Zones"): "Any",
    ("aws:autoscaling:asg", "Cooldown"): "360",
    ("aws:elasticbeanstalk:monitoring", "Automatically Terminate Unhealthy Instances"): "true",
}


class ConfigurationValidationException(ServiceException):
    code = "ConfigurationValidationException"


class InvalidParameterValue(ServiceException):
    code = "InvalidParameterValue"


class InvalidParameterCombination(ServiceException):
    code = "InvalidParameterCombination"


class ResourceNotFound(ServiceException):
    code = "ResourceNotFoundException"


def _options_of(namespace: str) -> dict[str, set[str] | None] | None:
    if namespace in OPTIONS:
        return OPTIONS[namespace]
    for pattern, options in TEMPLATED:
        if pattern.fullmatch(namespace):
            return options
    return None


def validate_option(namespace: str, name: str, value: str) -> None:
    """Raises what CreateEnvironment raises for an unknown namespace/option or a value outside its allowed set."""
    if namespace in FREE_FORM:
        return
    options = _options_of(namespace)
    if options is None or name not in options:
        raise ConfigurationValidationException(
            f"Configuration validation exception: Invalid option specification (Namespace: '{namespace}', "
            f"OptionName: '{name}'): Unknown configuration setting."
        )
    allowed = options[name]
    if allowed is not None and value not in allowed:
        raise ConfigurationValidationException(
            f"Configuration validation exception: Invalid option value: '{value}' (Namespace: '{namespace}', "
            f"OptionName: '{name}'): Value is not one of {sorted(allowed)}"
        )


def platform_arn(region: str, stack: str) -> str:
    """`64bit Amazon Linux 2023 v4.9.0 running Python 3.11` -> `...::platform/Python 3.11 running on 64bit Amazon
    Linux 2023/4.9.0` (the PlatformArn format of DescribeEnvironments)."""
    match = re.fullmatch(r"64bit (.+) v([\d.]+) running (.+)", stack)
    if not match:
        return ""
    os_name, version, runtime = match.groups()
    return f"arn:aws:elasticbeanstalk:{region}::platform/{runtime} running on 64bit {os_name}/{version}"


def _now() -> datetime:
    return datetime.now(UTC)


def _random(n: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(n))


class Store:
    """All EB state of one account and region."""

    def __init__(self) -> None:
        self.applications: dict[str, dict[str, Any]] = {}
        self.environments: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.events: list[dict[str, Any]] = []


def _arn(region: str, account: str, kind: str, path: str) -> str:
    return f"arn:aws:elasticbeanstalk:{region}:{account}:{kind}/{path}"


def _tags(raw: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in raw or []}


class Handlers:
    """Methods named like moto's dispatch expects (snake_case of the action), bound onto moto's EBResponse."""

    # helpers ---------------------------------------------------------------------------------------------------
    def _store(self: Any) -> Store:
        # Kept on moto's own EB backend, so moto's reset (between tests, or /moto-api/reset) clears it too.
        backend = self.elasticbeanstalk_backend
        if not hasattr(backend, "e2e_store"):
            backend.e2e_store = Store()
        return backend.e2e_store

    def _application(self: Any, name: str) -> dict[str, Any]:
        app = self._store().applications.get(name)
        if app is None:
            raise InvalidParameterValue(f"No Application named '{name}' found.")
        return app

    def _environment(self: Any, env_id: str | None, env_name: str | None) -> dict[str, Any]:
        for env in self._store().environments.values():
            if env["Status"] == "Terminated":
                continue
            if (env_id and env["EnvironmentId"] == env_id) or (env_name and env["EnvironmentName"] == env_name):
                return env
        raise InvalidParameterValue(f"No Environment found for EnvironmentId = '{env_id or env_name}'.")

    def _event(self: Any, env: dict[str, Any], message: str, severity: str = "INFO") -> None:
        self._store().events.append(
            {
                "EventDate": _now(),
                "Message": message,
                "ApplicationName": env["ApplicationName"],
                "EnvironmentName": env["EnvironmentName"],
                "EnvironmentId": env["EnvironmentId"],
                "Severity": severity,
            }
        )

    def _settings(self: Any) -> list[dict[str, str]]:
        settings = []
        for s in self._get_param("OptionSettings", []) or []:
            setting = {"Namespace": s["Namespace"], "OptionName": s["OptionName"], "Value": s.get("Value", "")}
            if s.get("ResourceName"):
                setting["ResourceName"] = s["ResourceName"]
            validate_option(setting["Namespace"], setting["OptionName"], setting["Value"])
            settings.append(setting)
        return settings

    def _endpoint_url(self: Any, settings: dict[tuple[str, str], str]) -> str:
        shared = settings.get(("aws:elbv2:loadbalancer", "SharedLoadBalancer"))
        if not shared:
            return ""
        from moto.elbv2.models import elbv2_backends

        lb = elbv2_backends[self.current_account][self.region].load_balancers.get(shared)
        return lb.dns_name if lb is not None else ""

    # applications ----------------------------------------------------------------------------------------------
    def create_application(self: Any) -> ActionResult:
        store, name = self._store(), self._get_param("ApplicationName")
        if name in store.applications:
            raise InvalidParameterValue(f"Application {name} already exists.")
        arn = _arn(self.region, self.current_account, "application", name)
        app = {
            "ApplicationArn": arn,
            "ApplicationName": name,
            "Description": self._get_param("Description") or "",
            "DateCreated": _now(),
            "DateUpdated": _now(),
            "Versions": {},
            "ConfigurationTemplates": [],
        }
        lifecycle = self._get_param("ResourceLifecycleConfig")
        if lifecycle:
            app["ResourceLifecycleConfig"] = lifecycle
        store.applications[name] = app
        store.tags[arn] = _tags(self._get_param("Tags"))
        return ActionResult({"Application": self._application_description(app)})

    def _application_description(self: Any, app: dict[str, Any]) -> dict[str, Any]:
        description = {k: v for k, v in app.items() if k != "Versions"}
        description["Versions"] = list(app["Versions"])
        return description

    def describe_applications(self: Any) -> ActionResult:
        names = self._get_param("ApplicationNames") or []
        apps = [a for n, a in self._store().applications.items() if not names or n in names]
        return ActionResult({"Applications": [self._application_description(a) for a in apps]})

    def update_application(self: Any) -> ActionResult:
        app = self._application(self._get_param("ApplicationName"))
        if self._get_param("Description") is not None:
            app["Description"] = self._get_param("Description")
        app["DateUpdated"] = _now()
        return ActionResult({"Application": self._application_description(app)})

    def update_application_resource_lifecycle(self: Any) -> ActionResult:
        app = self._application(self._get_param("ApplicationName"))
        app["ResourceLifecycleConfig"] = self._get_param("ResourceLifecycleConfig")
        return ActionResult(
            {"ApplicationName": app["ApplicationName"], "ResourceLifecycleConfig": app["ResourceLifecycleConfig"]}
        )

    def delete_application(self: Any) -> EmptyResult:
        store, name = self._store(), self._get_param("ApplicationName")
        self._application(name)
        running = [
            e for e in store.environments.values() if e["ApplicationName"] == name and e["Status"] != "Terminated"
        ]
        if running and not self._get_param("TerminateEnvByForce"):
            raise InvalidParameterValue(f"Unable to delete application {name} because it has running environments")
        for env in running:
            env["Status"] = "Terminated"
        app = store.applications.pop(name)
        store.tags.pop(app["ApplicationArn"], None)
        for version in app["Versions"].values():
            store.tags.pop(version["ApplicationVersionArn"], None)
        return EmptyResult()

    # application versions --------------------------------------------------------------------------------------
    def create_application_version(self: Any) -> ActionResult:
        app = self._application(self._get_param("ApplicationName"))
        label = self._get_param("VersionLabel")
        if label in app["Versions"]:
            raise InvalidParameterValue(f"Application Version {label} already exists.")
        bundle = self._get_param("SourceBundle") or {}
        bucket, key = bundle.get("S3Bucket"), bundle.get("S3Key")
        from moto.s3.models import s3_backends

        s3 = s3_backends[self.current_account]["aws"]
        try:
            found = s3.get_object(bucket, key) is not None
        except Exception:  # noqa: BLE001 - moto raises MissingBucket or MissingKey
            found = False
        if not found:
            raise InvalidParameterCombination(
                f"Unable to download from S3 location (Bucket: {bucket}  Key: {key}). Reason: Not Found"
            )
        arn = _arn(self.region, self.current_account, "applicationversion", f"{app['ApplicationName']}/{label}")
        version = {
            "ApplicationVersionArn": arn,
            "ApplicationName": app["ApplicationName"],
            "Description": self._get_param("Description") or "",
            "VersionLabel": label,
            "SourceBundle": {"S3Bucket": bucket, "S3Key": key},
            "DateCreated": _now(),
            "DateUpdated": _now(),
            "Status": "UNPROCESSED",
        }
        app["Versions"][label] = version
        self._store().tags[arn] = _tags(self._get_param("Tags"))
        return ActionResult({"ApplicationVersion": version})

    def describe_application_versions(self: Any) -> ActionResult:
        name = self._get_param("ApplicationName")
        labels = self._get_param("VersionLabels") or []
        apps = [self._application(name)] if name else list(self._store().applications.values())
        versions = [v for a in apps for label, v in a["Versions"].items() if not labels or label in labels]
        return ActionResult({"ApplicationVersions": versions})

    def update_application_version(self: Any) -> ActionResult:
        app = self._application(self._get_param("ApplicationName"))
        version = app["Versions"].get(self._get_param("VersionLabel"))
        if version is None:
            raise InvalidParameterValue(f"No Application Version named '{self._get_param('VersionLabel')}' found.")
        version["Description"] = self._get_param("Description") or ""
        return ActionResult({"ApplicationVersion": version})

    def delete_application_version(self: Any) -> EmptyResult:
        app = self._application(self._get_param("ApplicationName"))
        label = self._get_param("VersionLabel")
        users = [
            e["EnvironmentName"]
            for e in self._store().environments.values()
            if e["ApplicationName"] == app["ApplicationName"]
            and e.get("VersionLabel") == label
            and e["Status"] != "Terminated"
        ]
        if users:
            raise InvalidParameterValue(
                f"Unable to delete application version '{label}' because it is being used by environment(s): "
                + ", ".join(users)
            )
        version = app["Versions"].pop(label, None)
        if version is not None:
            self._store().tags.pop(version["ApplicationVersionArn"], None)
        return EmptyResult()

    # environments ----------------------------------------------------------------------------------------------
    def create_environment(self: Any) -> ActionResult:
        store = self._store()
        app = self._application(self._get_param("ApplicationName"))
        name = self._get_param("EnvironmentName")
        if any(e["EnvironmentName"] == name and e["Status"] != "Terminated" for e in store.environments.values()):
            raise InvalidParameterValue(f"Environment {name} already exists.")
        stack = self._get_param("SolutionStackName")
        if stack not in SOLUTION_STACKS:
            raise InvalidParameterValue(f"No Solution Stack named '{stack}' found.")
        label = self._get_param("VersionLabel")
        if label and label not in app["Versions"]:
            raise InvalidParameterValue(f"No Application Version named '{label}' found.")
        settings = self._settings()
        prefix = self._get_param("CNAMEPrefix")
        if prefix:
            cname = f"{prefix}.{self.region}.elasticbeanstalk.com"
            if any(e["CNAME"] == cname and e["Status"] != "Terminated" for e in store.environments.values()):
                raise InvalidParameterValue(f"DNS name ({cname}) is not available.")
        else:
            cname = f"{name}.eba-{_random(8)}.{self.region}.elasticbeanstalk.com"
        tier = self._get_param("Tier") or {"Name": "WebServer", "Type": "Standard"}
        env_id = f"e-{_random(10)}"
        env = {
            "EnvironmentName": name,
            "EnvironmentId": env_id,
            "ApplicationName": app["ApplicationName"],
            "VersionLabel": label,
            "SolutionStackName": stack,
            "PlatformArn": platform_arn(self.region, stack),
            "Description": self._get_param("Description") or "",
            "CNAME": cname,
            "DateCreated": _now(),
            "DateUpdated": _now(),
            "Status": "Ready",
            "AbortableOperationInProgress": False,
            "Health": "Green",
            "HealthStatus": "Ok",
            "Tier": {"Name": tier.get("Name", "WebServer"), "Type": tier.get("Type", "Standard"), "Version": "1.0"},
            "EnvironmentArn": _arn(
                self.region, self.current_account, "environment", f"{app['ApplicationName']}/{name}"
            ),
            "Settings": settings,
        }
        env["EndpointURL"] = self._endpoint_url({(s["Namespace"], s["OptionName"]): s["Value"] for s in settings})
        store.environments[env_id] = env
        store.tags[env["EnvironmentArn"]] = _tags(self._get_param("Tags"))
        self._event(env, "createEnvironment completed successfully.")
        return ActionResult(self._environment_description(env, status="Launching"))

    def _environment_description(self: Any, env: dict[str, Any], status: str | None = None) -> dict[str, Any]:
        description = {k: v for k, v in env.items() if k != "Settings" and v is not None}
        if status:
            description["Status"] = status
        return description

    def describe_environments(self: Any) -> ActionResult:
        ids = self._get_param("EnvironmentIds") or []
        names = self._get_param("EnvironmentNames") or []
        app = self._get_param("ApplicationName")
        include_deleted = self._get_param("IncludeDeleted")
        envs = [
            e
            for e in self._store().environments.values()
            if (not ids or e["EnvironmentId"] in ids)
            and (not names or e["EnvironmentName"] in names)
            and (not app or e["ApplicationName"] == app)
            and (include_deleted is not False or e["Status"] != "Terminated")
        ]
        return ActionResult({"Environments": [self._environment_description(e) for e in envs]})

    def describe_environment_resources(self: Any) -> ActionResult:
        env = self._environment(self._get_param("EnvironmentId"), self._get_param("EnvironmentName"))
        resources = {
            "EnvironmentName": env["EnvironmentName"],
            "AutoScalingGroups": [],
            "Instances": [],
            "LaunchConfigurations": [],
            "LaunchTemplates": [],
            "LoadBalancers": [],
            "Triggers": [],
            "Queues": [],
        }
        return ActionResult({"EnvironmentResources": resources})

    def describe_configuration_settings(self: Any) -> ActionResult:
        env = self._environment(None, self._get_param("EnvironmentName"))
        if env["ApplicationName"] != self._get_param("ApplicationName"):
            raise InvalidParameterValue(f"No Environment found for EnvironmentName = '{env['EnvironmentName']}'.")
        set_keys = {(s["Namespace"], s["OptionName"]) for s in env["Settings"]}
        options = [dict(s) for s in env["Settings"]] + [
            {"Namespace": ns, "OptionName": name, "Value": value}
            for (ns, name), value in DEFAULTS.items()
            if (ns, name) not in set_keys
        ]
        return ActionResult(
            {
                "ConfigurationSettings": [
                    {
                        "SolutionStackName": env["SolutionStackName"],
                        "PlatformArn": env["PlatformArn"],
                        "ApplicationName": env["ApplicationName"],
                        "EnvironmentName": env["EnvironmentName"],
                        "DeploymentStatus": "deployed",
                        "DateCreated": env["DateCreated"],
                        "DateUpdated": env["DateUpdated"],
                        "OptionSettings": options,
                    }
                ]
            }
        )

    def update_environment(self: Any) -> ActionResult:
        env = self._environment(self._get_param("EnvironmentId"), self._get_param("EnvironmentName"))
        app = self._application(env["ApplicationName"])
        label = self._get_param("VersionLabel")
        if label:
            if label not in app["Versions"]:
                raise InvalidParameterValue(f"No Application Version named '{label}' found.")
            env["VersionLabel"] = label
        stack = self._get_param("SolutionStackName")
        if stack:
            if stack not in SOLUTION_STACKS:
                raise InvalidParameterValue(f"No Solution Stack named '{stack}' found.")
            env["SolutionStackName"] = stack
        if self._get_param("Description") is not None:
            env["Description"] = self._get_param("Description")
        added = self._settings()
        removed = {(o["Namespace"], o["OptionName"]) for o in self._get_param("OptionsToRemove", []) or []}
        changed = {(s["Namespace"], s["OptionName"]) for s in added} | removed
        env["Settings"] = [s for s in env["Settings"] if (s["Namespace"], s["OptionName"]) not in changed] + added
        env["DateUpdated"] = _now()
        self._event(env, "Environment update completed successfully.")
        return ActionResult(self._environment_description(env, status="Updating"))

    def terminate_environment(self: Any) -> ActionResult:
        env = self._environment(self._get_param("EnvironmentId"), self._get_param("EnvironmentName"))
        env["Status"] = "Terminated"
        env["DateUpdated"] = _now()
        self._event(env, "terminateEnvironment completed successfully.")
        return ActionResult(self._environment_description(env, status="Terminating"))

    def describe_events(self: Any) -> ActionResult:
        severities = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        minimum = severities.index(self._get_param("Severity") or "TRACE")
        env_id = self._get_param("EnvironmentId")
        start = self._get_param("StartTime")
        events = [
            e
            for e in self._store().events
            if (not env_id or e["EnvironmentId"] == env_id)
            and severities.index(e["Severity"]) >= minimum
            and (start is None or e["EventDate"] >= _as_datetime(start))
        ]
        return ActionResult({"Events": list(reversed(events))})

    def list_available_solution_stacks(self: Any) -> ActionResult:
        return ActionResult(
            {
                "SolutionStacks": SOLUTION_STACKS,
                "SolutionStackDetails": [
                    {"SolutionStackName": s, "PermittedFileTypes": ["zip"]} for s in SOLUTION_STACKS
                ],
            }
        )

    def check_dns_availability(self: Any) -> ActionResult:
        cname = f"{self._get_param('CNAMEPrefix')}.{self.region}.elasticbeanstalk.com"
        taken = any(e["CNAME"] == cname and e["Status"] != "Terminated" for e in self._store().environments.values())
        return ActionResult({"Available": not taken, "FullyQualifiedCNAME": cname})

    # tags ------------------------------------------------------------------------------------------------------
    def _tags_of(self: Any, arn: str) -> dict[str, str]:
        tags = self._store().tags.get(arn)
        if tags is None:
            raise ResourceNotFound(f"Resource not found for ARN '{arn}'.")
        return tags

    def list_tags_for_resource(self: Any) -> ActionResult:
        arn = self._get_param("ResourceArn")
        tags = self._tags_of(arn)
        return ActionResult({"ResourceArn": arn, "ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def update_tags_for_resource(self: Any) -> EmptyResult:
        tags = self._tags_of(self._get_param("ResourceArn"))
        for key in self._get_param("TagsToRemove", []) or []:
            tags.pop(key, None)
        tags.update(_tags(self._get_param("TagsToAdd")))
        return EmptyResult()


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def install() -> None:
    from moto.elasticbeanstalk import responses

    for name, member in vars(Handlers).items():
        if callable(member) and not name.startswith("__"):
            setattr(responses.EBResponse, name, member)
