#!/usr/bin/env bash
# Packages as a user gets them: `dotnet pack` of the library (Rlpt, with XML docs and README) and of the tool
# (Rlpt.Cli, command `rlpt`) into a temporary local feed, `dotnet tool install` from it into a temporary tool path,
# then `rlpt --version` and `rlpt demo --quick` with the installed tool. Run by .ci/run; leaves nothing behind.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
dotnet pack "$root/src/Rlpt/Rlpt.csproj" -c Release -o "$work/feed" --nologo -v quiet >/dev/null
dotnet pack "$root/src/Rlpt.Cli/Rlpt.Cli.csproj" -c Release -o "$work/feed" --nologo -v quiet >/dev/null
# The listing is read whole first: `unzip -l | grep -q` under pipefail fails at random when grep exits early and
# unzip dies of SIGPIPE (what made a CI run report a README that was there).
entries=$(unzip -Z1 "$work/feed/Rlpt.$version.nupkg")
grep -qx "lib/net10.0/Rlpt.xml" <<<"$entries" || { echo "pack-check: Rlpt.$version.nupkg lacks its XML docs" >&2; exit 1; }
grep -qx "README.md" <<<"$entries" || { echo "pack-check: Rlpt.$version.nupkg lacks its README" >&2; exit 1; }
dotnet tool install Rlpt.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
printed=$("$work/tools/rlpt" --version)
[ "$printed" = "$version" ] || { echo "pack-check: the installed rlpt prints version '$printed', expected '$version'" >&2; exit 1; }
# As ./rlpt does: transparent huge pages for malloc (training runs at a third of the speed without them).
(cd "$work" && GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$work/tools/rlpt" demo --quick --out "$work/demo" -q)
[ -f "$work/demo/report.md" ] || { echo "pack-check: the installed tool's demo wrote no report" >&2; exit 1; }
echo "pack-check: Rlpt $version and Rlpt.Cli $version packed; the installed rlpt printed its version and ran demo --quick"
