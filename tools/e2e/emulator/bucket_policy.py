"""Bucket policies evaluated the way S3 does, with the request context the emulator really has.

moto checks a bucket policy on object requests but evaluates only `StringEquals` and counts every other condition
operator, and every missing key, as met; a Deny whose condition is not met is still a Deny there. Every bucket of
ours carries conditional Denies (TLS only, KMS-key headers, endpoint confinement), so moto refuses every object
request. This module replaces that check with IAM's documented evaluation:

- Operators (IAM User Guide, "Condition operators",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
  String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike}, Numeric{Equals,NotEquals,LessThan,
  LessThanEquals,GreaterThan,GreaterThanEquals}, Bool, Null, Arn{Equals,Like,NotEquals,NotLike}, IpAddress,
  NotIpAddress, each with `...IfExists`. Several operators, or several keys, in one block must all hold; several
  values of one key: any may match, and for the negated operators none may match.
- A key missing from the request: the condition is false, except for negated operators ("...Not...") and
  `...IfExists`, which are true, and `Null`, which tests exactly that ("Condition keys that are not present").
- Statements (IAM "Policy evaluation logic"): an explicit Deny wins, then an Allow; otherwise the bucket policy is
  neutral (same-account identity policies decide; the emulator does not enforce those).
- An operator the evaluator does not know makes a Deny apply and an Allow not apply (fail closed).

Request context the emulator supplies (documented S3/global condition keys):
`aws:SecureTransport` (HTTPS or not), `s3:TlsVersion` (the TLS socket's version), `aws:SourceIp`,
`aws:PrincipalArn` and `aws:PrincipalAccount` (from the signing access key: an IAM user, an assumed role - whose
`aws:PrincipalArn` is the role ARN - or else the account root), and on writes `s3:x-amz-server-side-encryption`,
`s3:x-amz-server-side-encryption-aws-kms-key-id`, `s3:x-amz-server-side-encryption-customer-algorithm` when those
headers are sent. Absent, because nothing on loopback can supply them: `aws:SourceVpce`/`aws:SourceVpc` (no VPC
endpoint), `aws:SourceArn`/`aws:SourceAccount` (only AWS services acting for a resource set them).
"""

import ipaddress
import json
import re
import threading
from collections.abc import Callable
from typing import Any

ACCOUNT_ID = "123456789012"
_request = threading.local()

NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "NumericNotEquals",
    "ArnNotEquals",
    "ArnNotLike",
    "NotIpAddress",
}


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM wildcards: `*` any run of characters, `?` one character; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _arn_like(pattern: str, value: str) -> bool:
    """ArnEquals/ArnLike: the six colon-separated parts match one by one, each with wildcards."""
    p_parts, v_parts = pattern.split(":", 5), value.split(":", 5)
    return len(p_parts) == len(v_parts) == 6 and all(_glob(p, v) for p, v in zip(p_parts, v_parts, strict=True))


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def match(expected: str, actual: str) -> bool:
        e, a = _number(expected), _number(actual)
        return e is not None and a is not None and compare(a, e)

    return match


def _ip(expected: str, actual: str) -> bool:
    try:
        return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
    except ValueError:
        return False


# Positive matchers; each negated operator is the negation of its positive twin over all values.
MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda e, a: e == a,
    "StringEqualsIgnoreCase": lambda e, a: e.lower() == a.lower(),
    "StringLike": _glob,
    "NumericEquals": _numeric(lambda a, e: a == e),
    "NumericLessThan": _numeric(lambda a, e: a < e),
    "NumericLessThanEquals": _numeric(lambda a, e: a <= e),
    "NumericGreaterThan": _numeric(lambda a, e: a > e),
    "NumericGreaterThanEquals": _numeric(lambda a, e: a >= e),
    "Bool": lambda e, a: str(e).lower() == str(a).lower(),
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
    "IpAddress": _ip,
}
POSITIVE_OF = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NotIpAddress": "IpAddress",
}


class UnknownOperator(Exception):
    pass


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in items]


def condition_holds(operator: str, key: str, expected: Any, context: dict[str, str]) -> bool:
    """One `Operator: {key: values}` entry against the request context."""
    if operator == "Null":
        absent = key not in context
        return any(absent == (v.lower() == "true") for v in _values(expected))
    if_exists = operator.endswith("IfExists")
    base = operator[: -len("IfExists")] if if_exists else operator
    if key not in context:
        if if_exists or base in NEGATED:
            return True
        if base in MATCHERS:
            return False
        raise UnknownOperator(operator)
    actual = context[key]
    if base in NEGATED:
        return not any(MATCHERS[POSITIVE_OF[base]](e, actual) for e in _values(expected))
    if base in MATCHERS:
        return any(MATCHERS[base](e, actual) for e in _values(expected))
    raise UnknownOperator(operator)


def conditions_hold(conditions: dict[str, dict[str, Any]], context: dict[str, str]) -> bool:
    return all(
        condition_holds(operator, key, expected, context)
        for operator, entries in conditions.items()
        for key, expected in entries.items()
    )


def _listed(element: Any) -> list[str]:
    return element if isinstance(element, list) else [element]


def _principal_matches(principal: Any, caller_arn: str, caller_account: str) -> bool:
    """`*`, or an AWS principal naming the caller, its role, or its account; service principals never match a caller
    signing with access keys."""
    if principal == "*":
        return True
    aws = principal.get("AWS") if isinstance(principal, dict) else None
    if aws is None:
        return False
    for entry in _listed(aws):
        if entry in ("*", caller_arn, caller_account, f"arn:aws:iam::{caller_account}:root"):
            return True
    return False


def statement_applies(statement: dict[str, Any], action: str, resource: str, context: dict[str, str]) -> bool:
    """Whether a statement covers this request (principal, action, resource, condition)."""
    if "NotPrincipal" in statement:
        raise UnknownOperator("NotPrincipal")
    caller_arn = context.get("aws:PrincipalArn", "")
    caller_account = context.get("aws:PrincipalAccount", "")
    if not _principal_matches(statement.get("Principal"), caller_arn, caller_account):
        return False
    if "NotAction" in statement:
        if any(_glob(a, action, ignore_case=True) for a in _listed(statement["NotAction"])):
            return False
    elif not any(_glob(a, action, ignore_case=True) for a in _listed(statement.get("Action", []))):
        return False
    if "NotResource" in statement:
        if any(_glob(r, resource) for r in _listed(statement["NotResource"])):
            return False
    elif not any(_glob(r, resource) for r in _listed(statement.get("Resource", []))):
        return False
    return conditions_hold(statement.get("Condition", {}), context)


def evaluate(policy: dict[str, Any], action: str, resource: str, context: dict[str, str]) -> str:
    """`DENIED`, `PERMITTED` or `NEUTRAL` for a bucket policy document."""
    allowed = False
    for statement in _listed(policy.get("Statement", [])):
        deny = statement.get("Effect") == "Deny"
        try:
            applies = statement_applies(statement, action, resource, context)
        except UnknownOperator:
            applies = deny  # fail closed
        if applies and deny:
            return "DENIED"
        allowed = allowed or applies
    return "PERMITTED" if allowed else "NEUTRAL"


# --- the request context --------------------------------------------------------------------------------------

_ACCESS_KEY = re.compile(r"Credential=([A-Z0-9]+)/")


def principal_of_access_key(access_key_id: str | None) -> str:
    """The ARN S3 would see for a signing access key: an IAM user, an assumed role's role ARN, else the root."""
    root = f"arn:aws:iam::{ACCOUNT_ID}:root"
    if not access_key_id:
        return root
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account_backends in (sts_backends.get(ACCOUNT_ID),):
        for backend in (account_backends or {}).values():
            for role in getattr(backend, "assumed_roles", []):
                if role.access_key_id == access_key_id:
                    # aws:PrincipalArn of a role session is the role's ARN (IAM global condition keys).
                    return role.role_arn
    backend = iam_backends[ACCOUNT_ID]["global"]
    for user in backend.users.values():
        if any(key.access_key_id == access_key_id for key in user.access_keys):
            return user.arn
    return root


def context_of(request: Any) -> dict[str, str]:
    environ = getattr(request, "environ", {}) or {}
    context: dict[str, str] = {}
    secure = environ.get("wsgi.url_scheme") == "https"
    context["aws:SecureTransport"] = "true" if secure else "false"
    sock = environ.get("werkzeug.socket")
    version = sock.version() if secure and sock is not None and hasattr(sock, "version") else None
    if version and version.startswith("TLSv"):
        context["s3:TlsVersion"] = version[len("TLSv") :]
    if environ.get("REMOTE_ADDR"):
        context["aws:SourceIp"] = environ["REMOTE_ADDR"]
    match = _ACCESS_KEY.search(request.headers.get("Authorization", "") or "")
    if not match:
        match = re.search(r"X-Amz-Credential=([A-Z0-9]+)%2F", getattr(request, "url", "") or "")
    principal = principal_of_access_key(match.group(1) if match else None)
    context["aws:PrincipalArn"] = principal
    context["aws:PrincipalAccount"] = principal.split(":")[4]
    for header in (
        "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-customer-algorithm",
    ):
        if header in request.headers:
            context[f"s3:{header}"] = request.headers[header]
    return context


def s3_action(moto_action: str, request: Any) -> str:
    """The IAM action S3 authorizes an object request as (S3 "Actions, resources, and condition keys"): HEAD is
    GetObject; multipart create/part/complete are PutObject; DELETE with an upload id is AbortMultipartUpload."""
    args = getattr(request, "args", {}) or {}
    method = getattr(request, "method", "")
    if method == "HEAD":
        return "s3:GetObject"
    if method == "DELETE" and "uploadId" in args:
        return "s3:AbortMultipartUpload"
    if method == "GET" and "uploadId" in args:
        return "s3:ListMultipartUploadParts"
    if method in ("PUT", "POST"):
        return "s3:PutObject"
    return moto_action


def install() -> None:
    from moto.iam.access_control import PermissionResult
    from moto.s3 import models, responses

    original_setup = responses.S3Response.setup_class

    def setup_class(self: Any, request: Any, *args: Any, **kwargs: Any) -> None:
        _request.current = request
        original_setup(self, request, *args, **kwargs)

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        request = getattr(_request, "current", None)
        context = context_of(request) if request is not None else {}
        if request is not None:
            action = s3_action(action, request)
        policy = json.loads(self.policy.decode() if isinstance(self.policy, bytes) else self.policy)
        return PermissionResult[evaluate(policy, action, resource, context)]

    responses.S3Response.setup_class = setup_class  # type: ignore[method-assign]
    models.FakeBucket.get_permission = get_permission  # type: ignore[method-assign]


__all__ = ["evaluate", "condition_holds", "context_of", "install"]
