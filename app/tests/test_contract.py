"""The app reads what it shares with the infrastructure from contract.json, and declares every S3 call there."""

import json
import re
from pathlib import Path

from imageshare import contract, keys
from imageshare.config import ConfigError, Settings

APP_DIR = Path(__file__).resolve().parent.parent
CONTRACT = json.loads((APP_DIR / "imageshare" / "contract.json").read_text())


def test_every_s3_call_of_the_app_is_declared_in_the_contract_and_every_declared_one_is_made():
    source = (APP_DIR / "imageshare" / "storage.py").read_text()
    # _read wraps _call for object reads (a 403 on a missing key becomes a 404).
    called = set(re.findall(r'_(?:call|read)\(\s*"([a-z0-9_]+)"', source))
    assert called == set(contract.S3_OPERATIONS)
    # All S3 traffic goes through ImageStore._call: the client is touched nowhere else.
    assert re.findall(r"self\._s3\b", source) == ["self._s3", "self._s3"]


def test_declared_operations_map_to_s3_actions():
    assert contract.S3_OPERATIONS and all(re.fullmatch(r"s3:[A-Za-z]+", a) for a in contract.S3_OPERATIONS.values())


def test_settings_read_the_contracts_variable_names():
    env = CONTRACT["environmentVariables"]
    settings = Settings.from_env(
        {env["imagesBucket"]: "b", env["kmsKeyArn"]: "k", env["region"]: "eu-west-1", env["uploadLimitMb"]: "7"}
    )
    assert (settings.bucket, settings.kms_key_arn, settings.region, settings.max_upload_mb) == (
        "b",
        "k",
        "eu-west-1",
        7,
    )
    assert (
        Settings.from_env({env["imagesBucket"]: "b", env["kmsKeyArn"]: "k", env["region"]: "r"}).max_upload_mb
        == (CONTRACT["uploadLimitMb"]["default"])
    )


def test_upload_limit_above_the_contracts_maximum_is_refused():
    env = CONTRACT["environmentVariables"]
    too_big = str(CONTRACT["uploadLimitMb"]["max"] + 1)
    try:
        Settings.from_env(
            {env["imagesBucket"]: "b", env["kmsKeyArn"]: "k", env["region"]: "r", env["uploadLimitMb"]: too_big}
        )
    except ConfigError as error:
        assert env["uploadLimitMb"] in str(error)
    else:
        raise AssertionError("an upload limit above the contract's maximum was accepted")


def test_keys_and_health_path_come_from_the_contract(client):
    assert keys.upload_key("X", "jpg").startswith(CONTRACT["keyPrefixes"]["uploads"])
    assert keys.thumb_key("X").startswith(CONTRACT["keyPrefixes"]["thumbnails"])
    assert client.get(CONTRACT["healthCheckPath"]).status_code == 200
