#!/usr/bin/env bash
# Throwaway root for the EC2 boot-script test: run inside `unshare --mount --fork` (a private mount namespace, so
# nothing mounted here is seen outside). The root is an overlay of this machine's / with UPPER as its only writable
# layer: whatever the boot script installs or writes lands in UPPER, never in the real /.
#   root.sh UPPER OVERLAY_WORK MERGED -- COMMAND...   (COMMAND runs chrooted in MERGED, environment as given)
set -euo pipefail
upper="$1" work="$2" merged="$3"
shift 3
[ "$1" = "--" ] && shift
mount --make-rprivate /
mount -t overlay overlay -o "lowerdir=/,upperdir=$upper,workdir=$work" "$merged"
mount --rbind /dev "$merged/dev"
mount -t proc proc "$merged/proc"
mount --rbind /sys "$merged/sys"
mount -t tmpfs tmpfs "$merged/tmp"
mount -t tmpfs tmpfs "$merged/run"
exec chroot "$merged" "$@"
