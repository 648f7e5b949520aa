#!/bin/sh
# Writes doks.urls: the address of every HTML page that Hugo makes of the
# original Doks starter site, version 0.5.0 of the npm package @hyas/doks,
# whose files doks/ holds (with images, fonts and videos emptied). CI has
# no Hugo, so the list is kept; run this again with go generate after
# changing the fixture. Needs hugo (Debian's 0.111), npm and its registry.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @hyas/doks@0.5.0 >/dev/null
tar xzf hyas-doks-0.5.0.tgz
cd package
# The theme's templates need its node modules; flexsearch 0.7.21 is the
# version whose dist/ holds the bundle they load.
npm install --ignore-scripts --no-audit --no-fund --silent
npm install --ignore-scripts --no-audit --no-fund --silent --no-save flexsearch@0.7.21
hugo --quiet --destination "$work/public"
{
	echo "# $(hugo version | cut -d' ' -f1-2), @hyas/doks 0.5.0: the HTML pages but 404.html and Hugo's redirects of page/1/"
	cd "$work/public"
	find . -name '*.html' ! -name 404.html | while read -r f; do
		grep -q 'http-equiv="refresh"' "$f" || echo "$f"
	done | sed -e 's|^\.||' -e 's|index\.html$||' | LC_ALL=C sort
} >"$here/doks.urls"
