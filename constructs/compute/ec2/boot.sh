#!/bin/bash
# Boot script of the imageshare instances: EC2 user data, run once as root by cloud-init ("scripts-user") on the
# instance's first boot; its output lands in /var/log/cloud-init-output.log. Rendered by user-data.ts, which fills
# every placeholder (a NAME between double at-signs) at synthesis, the bundle's SHA-256 included: a new bundle is a
# new launch-template version, and that starts an instance refresh. No internet route: dnf reads the AL2023
# repositories and the AWS CLI the artifacts bucket through the S3 gateway endpoint; the CloudWatch agent writes
# through the `logs` interface endpoint. Written without brace expansions (a dollar sign then a brace): Terraform
# would read those as its own interpolation.
set -euo pipefail
umask 022

readonly AL2023_RELEASE='@@AL2023_RELEASE@@'
readonly REGION='@@REGION@@'
readonly BUNDLE_BUCKET='@@BUNDLE_BUCKET@@'
readonly BUNDLE_KEY='@@BUNDLE_KEY@@'
readonly BUNDLE_SHA256='@@BUNDLE_SHA256@@'
readonly APP_USER='@@APP_USER@@'
readonly APP_HOME='@@APP_HOME@@'
readonly APP_LOG='@@APP_LOG@@'
readonly ENV_FILE='@@ENV_FILE@@'
readonly UNIT='@@UNIT_NAME@@'
readonly SOCKET='@@SOCKET_NAME@@'
readonly CWAGENT_CONFIG=/opt/aws/amazon-cloudwatch-agent/etc/imageshare.json

log() { echo "imageshare boot: $*"; }

# 1. Python 3.11 (AL2023's python3 stays 3.9 and the wheels are cp311), the CloudWatch agent and logrotate, from the
#    AL2023 repositories at the pinned release, not "latest" (AL2023 user guide, "Updating AL2023": --releasever).
log "dnf install at release $AL2023_RELEASE (this AMI: $(cat /etc/amazon-linux-release 2> /dev/null || echo unknown))"
dnf --assumeyes --releasever="$AL2023_RELEASE" install python3.11 python3.11-pip amazon-cloudwatch-agent logrotate

# 2. The release bundle, with the instance role, checked against the hash synthesis wrote into this script.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
aws s3api get-object --region "$REGION" --bucket "$BUNDLE_BUCKET" --key "$BUNDLE_KEY" "$work/bundle.tar" > /dev/null
echo "$BUNDLE_SHA256  $work/bundle.tar" | sha256sum --check --strict --quiet -
log "bundle s3://$BUNDLE_BUCKET/$BUNDLE_KEY: sha256 $BUNDLE_SHA256 verified"

# 3. Install it, owned by root and read-only to the app: one directory per bundle hash, a venv from the bundle's own
#    wheels (no index: there is no internet), the app byte-compiled now because it cannot write at run time.
id -u "$APP_USER" > /dev/null 2>&1 ||
  useradd --system --user-group --home-dir "$APP_HOME" --no-create-home --shell /sbin/nologin "$APP_USER"
release="$APP_HOME/releases/$BUNDLE_SHA256"
rm -rf "$release"
install -d -m 0755 "$release/app"
tar --extract --file "$work/bundle.tar" --directory "$release/app" --no-same-owner --no-same-permissions
python3.11 -m venv "$release/venv"
"$release/venv/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check --no-index \
  --find-links "$release/app/wheels" --require-hashes --requirement "$release/app/requirements.txt"
"$release/venv/bin/python" -m compileall -q "$release/app"
ln -sfn "$release" "$APP_HOME/current"
log "installed into $release"

# 4. The app's settings (read by systemd as root; nothing secret: names and ARNs).
install -d -m 0755 "$(dirname "$ENV_FILE")"
cat > "$ENV_FILE" << 'APP_ENV'
@@APP_ENV@@
APP_ENV
chmod 0600 "$ENV_FILE"

# 5. Logs: the unit appends to APP_LOG, logrotate keeps it small, the CloudWatch agent ships it to the log group.
install -d -m 0755 "$(dirname "$APP_LOG")"
cat > /etc/logrotate.d/imageshare << 'LOGROTATE'
@@LOGROTATE@@
LOGROTATE
install -d -m 0755 "$(dirname "$CWAGENT_CONFIG")"
cat > "$CWAGENT_CONFIG" << 'CWAGENT'
@@CWAGENT_CONFIG@@
CWAGENT
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c "file:$CWAGENT_CONFIG"

# 6. The service, started on the socket systemd binds for it.
cat > "/etc/systemd/system/$SOCKET" << 'SOCKET_FILE'
@@SOCKET_FILE@@
SOCKET_FILE
cat > "/etc/systemd/system/$UNIT" << 'UNIT_FILE'
@@UNIT_FILE@@
UNIT_FILE
systemctl daemon-reload
systemctl enable --now "$SOCKET" "$UNIT"
log "started $SOCKET and $UNIT"
