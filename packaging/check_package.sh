#!/usr/bin/env bash
# The package, checked as a user gets it: cpack builds the .deb from a build
# tree; lintian must report no error, the desktop file and the AppStream
# metainfo must validate; then the .deb is installed with apt-get into a
# fresh Debian 12 root (debootstrap --variant=minbase), which pulls its
# dependencies, and the installed programs run there: srm-check --version,
# the report of the bundled sample (text, PDF), the man pages, the bash
# completion, srm-simulate, and the workbench's screenshot on the offscreen
# platform. Needs root (debootstrap, chroot) and the network (Debian's mirror).
#
# Usage: packaging/check_package.sh [BUILD_DIR]   (default: build/ci)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
mirror=${SRM_DEBIAN_MIRROR:-http://deb.debian.org/debian}

echo "== cpack (DEB) from $build"
rm -f "$build"/srm-workbench_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/srm-workbench_*.deb)
dpkg-deb --info "$deb" | sed -n '/Depends/p'

echo "== lintian (errors fail)"
lintian --fail-on error "$deb"

echo "== desktop-file-validate, appstreamcli validate"
desktop-file-validate packaging/org.srmworkbench.SrmWorkbench.desktop
appstreamcli validate --no-net --pedantic packaging/org.srmworkbench.SrmWorkbench.metainfo.xml

echo "== install into a fresh Debian 12 root"
work=$(mktemp -d)
root=$work/root
cleanup() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >"$work/install.log" 2>&1 ||
    { tail -30 "$work/install.log"; exit 1; }

fail=0
check() {  # WHAT COMMAND...: runs in the root, reports
    local what=$1
    shift
    if out=$(in_root "$@" 2>&1); then echo "ok   $what"; else echo "FAIL $what: $out" | head -5; fail=1; fi
}
check "srm-check --version: $(in_root srm-check --version)" sh -c 'srm-check --version | grep -qx "srm-check [0-9.]*"'
check "srm-check on the bundled sample (exit 1: its SRM)" sh -c 'srm-check /usr/share/srm-workbench/sample/exposures.csv >/tmp/r.txt; [ $? -eq 1 ] && grep -q "^HEALTH" /tmp/r.txt'
check "srm-check --report a PDF (Qt offscreen in the root)" sh -c 'srm-check /usr/share/srm-workbench/sample/exposures.csv --report /tmp/r.pdf >/dev/null; [ -s /tmp/r.pdf ] && head -c 5 /tmp/r.pdf | grep -q "%PDF"'
check "srm-check --print-sql" sh -c 'srm-check --print-sql duckdb --table t --unit-col u --variant-col v --time-col ts | grep -q "COUNT(\*) AS \"units\""'
check "srm-simulate writes an export" sh -c 'srm-simulate --out /tmp/e.csv --users 500 && [ $(wc -l </tmp/e.csv) -gt 500 ]'
check "man pages of srm-check, srm-simulate and srm-workbench" sh -c 'for t in check simulate workbench; do zcat /usr/share/man/man1/srm-$t.1.gz | grep -q "^\.TH SRM-$(echo $t | tr a-z A-Z)" || exit 1; done'
check "bash completion: --print-s completes, engines after --print-sql" bash -c '
    . /usr/share/bash-completion/completions/srm-check
    COMP_WORDS=(srm-check --print-s); COMP_CWORD=1; _srm_check; [ "${COMPREPLY[*]}" = "--print-sql" ] || exit 1
    COMP_WORDS=(srm-check --print-sql snow); COMP_CWORD=2; _srm_check; [ "${COMPREPLY[*]}" = "snowflake" ] || exit 1
    . /usr/share/bash-completion/completions/srm-simulate
    COMP_WORDS=(srm-simulate --scenario variant_j); COMP_CWORD=2; _srm_simulate; [ "${COMPREPLY[*]}" = "variant_jumping" ]'
check "the workbench's screenshot on the offscreen platform" sh -c 'QT_QPA_PLATFORM=offscreen srm-workbench /usr/share/srm-workbench/sample/exposures.csv --screenshot /tmp/s.png >/dev/null 2>&1; [ -s /tmp/s.png ]'
check "the desktop file, metainfo and icon are installed" sh -c 'test -f /usr/share/applications/org.srmworkbench.SrmWorkbench.desktop && test -f /usr/share/metainfo/org.srmworkbench.SrmWorkbench.metainfo.xml && test -f /usr/share/icons/hicolor/scalable/apps/org.srmworkbench.SrmWorkbench.svg'
if [ $fail -ne 0 ]; then
    echo "check_package: FAILED"
    exit 1
fi
echo "check_package: the .deb installs into a fresh Debian 12 root and runs there"
