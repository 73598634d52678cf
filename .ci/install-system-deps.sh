#!/usr/bin/env bash
# System packages instanton-bench needs on a Debian 12 machine of this kind (run as root).
# chromium is for the HTML report test (a real browser); fonts-dejavu-core renders chart text.
# slurmctld, slurmd, slurm-client and munge: the fleet test starts a one-node Slurm cluster.
# qemu-system-x86, cpio and xz-utils: guests as restore hosts (hosts vm create, run --restore-on).
# Everything comes from Debian's packages; the base image is made from Debian sid by
# debootstrap, and Open Liberty comes from Maven Central, at build time.
set -euo pipefail
PACKAGES=(podman runc debootstrap unzip maven util-linux ca-certificates chromium fonts-dejavu-core slurmctld slurmd slurm-client munge qemu-system-x86 cpio xz-utils)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  # podman's networking pieces are recommends on Debian 12; install them explicitly.
  apt-get install -y -q --no-install-recommends netavark aardvark-dns catatonit containernetworking-plugins iptables slirp4netns uidmap fuse-overlayfs || true
fi
