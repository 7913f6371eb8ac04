#!/usr/bin/env bash
# scripts/vendor_assets.sh -- re-vendor Harbour's compiled front-end assets.
#
# DEV-ONLY. Nothing here runs at deploy or run time, and Node is not needed to
# run Harbour: the outputs below are committed to the repo with their licences.
# Run it only when bumping a pinned version or changing the Sass settings, then
# review `git diff` and commit the results.
#
# Needs: bash, node >= 20 and npm (the npm registry), coreutils, grep, sed.
# Usage:  scripts/vendor_assets.sh [SCRATCH_DIR]      (default /tmp/fe)
#         Safe to re-run: outputs are wiped and regenerated each time.
# node_modules lives in SCRATCH_DIR only, never inside the repo.
#
# What it does:
#   1. npm install (exact pins, --ignore-scripts) into SCRATCH_DIR:
#      govuk-frontend, @ministryofjustice/frontend, axe-core, sass.
#      govuk-frontend is held at 6.3.x because the Python macros package
#      govuk-frontend-jinja 4.1 matches GOV.UK Frontend 6.3.0; MOJ Frontend is
#      the newest release whose peerDependency accepts govuk-frontend 6.3.
#   2. Compiles GOV.UK Frontend and MOJ Frontend from their Sass source with
#      npm `sass` (compressed), using Harbour settings (Harbour is NOT a GOV.UK
#      service, so none of GOV.UK's identity is used):
#        - $govuk-font-family: arial, sans-serif (and $moj-font-family) and
#          $govuk-include-default-font-face: false, so no GDS Transport and no
#          @font-face at all;
#        - $govuk-functional-colours: brand = Harbour teal #0b5e62 (header,
#          service navigation, footer border, notification banner), plus teal
#          tints for template-background / surface-background / surface-border
#          (v6 has no rebrand flag and $govuk-brand-colour is a read-only legacy
#          alias of the functional "brand" colour);
#        - relative asset paths ("assets/"), so url()s resolve next to each CSS
#          file under /static/vendor/<pkg>/;
#        - a $govuk-image-url-function that maps the GOV.UK crest (the only
#          image GOV.UK Frontend's CSS references) to `none`, and an override
#          that removes the footer crest pseudo-element: crest/crown/logotype
#          images, GDS Transport fonts, GOV.UK favicons/manifest are never
#          shipped.
#      Then checks the CSS (no "GDS Transport", no @font-face, no absolute or
#      remote url(), every url() resolves to a shipped file).
#   3. Copies the ES module JS builds, licences and VERSION files, axe-core.
#   4. Trims the two stylesheets to the rules Harbour's pages can use
#      (scripts/purge_css.py, Python and tinycss2, no network): the whole
#      compiled CSS is kept in harbour/css_source/ (never served), the trimmed
#      CSS is what pages load. After a template starts using a class no page
#      used before, re-run only scripts/purge_css.py (tests/test_trimmed_css.py
#      says when).
#
# Outputs (repo-relative):
#   harbour/css_source/{govuk-frontend.min.css,moj-frontend.min.css}   (whole, not served)
#   harbour/static/vendor/govuk-frontend/{govuk-frontend.min.css (trimmed),govuk-frontend.min.js,assets/,LICENSE.txt,VERSION}
#   harbour/static/vendor/moj-frontend/{moj-frontend.min.css (trimmed),moj-frontend.min.js,assets/,LICENSE.txt,VERSION}
#   tests/browser/vendor/{axe.min.js,axe-core-LICENSE.txt,axe-core-LICENSE-3RD-PARTY.txt,axe-core-VERSION}
#
# The trailing `//# sourceMappingURL=` comment is stripped from the vendored
# JS because the .map files are not shipped (Django's ManifestStaticFilesStorage
# would otherwise fail collectstatic on the missing map).
#
# Not generated here (hand-written, kept in the repo):
#   harbour/static/harbour/harbour.js, harbour/static/harbour/favicon.svg
set -euo pipefail

GOVUK_FRONTEND_VERSION="6.3.0"
MOJ_FRONTEND_VERSION="11.1.0"
AXE_CORE_VERSION="4.14.1"
SASS_VERSION="1.108.2"

HARBOUR_BRAND="#0b5e62"
HARBOUR_TINT_95="#f3f7f7"   # 5% brand + 95% white
HARBOUR_TINT_50="#85afb1"   # 50% brand + 50% white

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${1:-/tmp/fe}"

case "$SCRATCH" in
  "$REPO"|"$REPO"/*) echo "refusing to use a scratch dir inside the repo: $SCRATCH" >&2; exit 1 ;;
esac

GOVUK_OUT="$REPO/harbour/static/vendor/govuk-frontend"
MOJ_OUT="$REPO/harbour/static/vendor/moj-frontend"
CSS_SOURCE="$REPO/harbour/css_source"
AXE_OUT="$REPO/tests/browser/vendor"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------- 1
say "npm install into $SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH"
cat > package.json <<JSON
{
  "name": "harbour-vendor-assets-scratch",
  "private": true,
  "description": "Scratch build for scripts/vendor_assets.sh (not part of Harbour)",
  "dependencies": {
    "govuk-frontend": "$GOVUK_FRONTEND_VERSION",
    "@ministryofjustice/frontend": "$MOJ_FRONTEND_VERSION",
    "axe-core": "$AXE_CORE_VERSION",
    "sass": "$SASS_VERSION"
  }
}
JSON
npm install --ignore-scripts --no-audit --no-fund --save-exact

NM="$SCRATCH/node_modules"
GOVUK_PKG="$NM/govuk-frontend"
MOJ_PKG="$NM/@ministryofjustice/frontend"
AXE_PKG="$NM/axe-core"

pkg_version() { node -p "require('$1/package.json').version"; }
for pair in "$GOVUK_PKG=$GOVUK_FRONTEND_VERSION" "$MOJ_PKG=$MOJ_FRONTEND_VERSION" \
            "$AXE_PKG=$AXE_CORE_VERSION" "$NM/sass=$SASS_VERSION"; do
  got="$(pkg_version "${pair%%=*}")"
  [ "$got" = "${pair#*=}" ] || die "${pair%%=*} is $got, expected ${pair#*=}"
done
node -e '
  const peer = require(process.argv[1] + "/package.json").peerDependencies["govuk-frontend"];
  // minimal caret check: "^6.x.y" accepts 6.3.0 if x.y <= 3.0
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(peer);
  const [maj, min] = process.argv[2].split(".").map(Number);
  if (!m || +m[1] !== maj || +m[2] > min) { console.error("MOJ peer govuk-frontend " + peer + " does not accept " + process.argv[2]); process.exit(1); }
' "$MOJ_PKG" "$GOVUK_FRONTEND_VERSION"

# --------------------------------------------------------------------------- 2
say "write Sass entry points"
mkdir -p "$SCRATCH/scss"
cat > "$SCRATCH/scss/_harbour-settings.scss" <<SCSS
// Harbour settings shared by the GOV.UK Frontend and MOJ Frontend builds.
\$brand: $HARBOUR_BRAND;

// Arial stack: no "GDS Transport", so no @font-face is emitted.
\$font-family: (arial, sans-serif);

// Tints are the brand colour mixed with white, rounded to hex (like GOV.UK's
// blue tint-95 / tint-50 that they replace).
\$tint-95: $HARBOUR_TINT_95;
\$tint-50: $HARBOUR_TINT_50;

// Merged by GOV.UK Frontend v6 into \$govuk-default-functional-colours.
\$functional-colours: (
  "brand": \$brand,
  "template-background": \$tint-95,
  "surface-background": \$tint-95,
  "surface-border": \$tint-50
);
SCSS

cat > "$SCRATCH/scss/_harbour-urls.scss" <<'SCSS'
// Resolves GOV.UK Frontend image urls relative to the compiled CSS file.
// The GOV.UK crest is GOV.UK branding that Harbour must not use: map it to
// `none` (and the entry point removes the pseudo-element that draws it).
@use "sass:list";

$blocked: ("govuk-crest.svg");

@function image-url($filename) {
  @if list.index($blocked, $filename) {
    @return none;
  }
  @return url("assets/images/#{$filename}");
}
SCSS

cat > "$SCRATCH/scss/govuk-frontend.scss" <<'SCSS'
@use "sass:meta";
@use "harbour-settings" as harbour;
@use "harbour-urls";

@use "node_modules/govuk-frontend/dist/govuk" as * with (
  $govuk-assets-path: "assets/",
  $govuk-image-url-function: meta.get-function("image-url", $module: "harbour-urls"),
  $govuk-font-family: harbour.$font-family,
  $govuk-include-default-font-face: false,
  $govuk-functional-colours: harbour.$functional-colours
);

// No GOV.UK crest in the footer copyright link (not a GOV.UK service).
.govuk-footer__copyright-logo::before {
  content: none;
}
SCSS

cat > "$SCRATCH/scss/moj-frontend.scss" <<'SCSS'
@use "harbour-settings" as harbour;

// MOJ forwards GOV.UK Frontend's base (settings/tools/helpers only) with
// $govuk-assets-path/$govuk-font-family fixed to its own $moj-* settings, so
// set those; GOV.UK's functional colours pass straight through.
@use "node_modules/@ministryofjustice/frontend/moj/all" as * with (
  $moj-assets-path: "assets/",
  $moj-font-family: harbour.$font-family,
  $govuk-functional-colours: harbour.$functional-colours
);
SCSS

say "compile Sass"
rm -rf "$GOVUK_OUT" "$MOJ_OUT" "$CSS_SOURCE"
mkdir -p "$GOVUK_OUT" "$MOJ_OUT" "$AXE_OUT" "$CSS_SOURCE"
SASS=("$NM/.bin/sass" --no-source-map --style=compressed --load-path="$SCRATCH" --load-path="$SCRATCH/scss")
"${SASS[@]}" "$SCRATCH/scss/govuk-frontend.scss" "$CSS_SOURCE/govuk-frontend.min.css"
"${SASS[@]}" "$SCRATCH/scss/moj-frontend.scss" "$CSS_SOURCE/moj-frontend.min.css"

# Copy each url() the CSS references from the package's assets folder into
# OUT (path kept), refusing GOV.UK/MOJ identity assets; fail on anything
# absolute, remote or missing.
BRANDED_RE='(crest|crown|logotype|favicon|govuk-icon|apple-touch-icon|opengraph|manifest\.json|/fonts/|\.woff2?$)'
vendor_css_assets() { # css pkg_assets_dir out_dir
  local css="$1" src="$2" out="$3" url rel
  grep -q 'GDS Transport' "$css" && die "$css mentions GDS Transport"
  grep -q '@font-face' "$css" && die "$css contains @font-face"
  while IFS= read -r url; do
    case "$url" in
      data:*) continue ;;
      /*|*://*) die "$css has a non-relative url($url)" ;;
      assets/*) rel="${url#assets/}" ;;
      *) die "$css has url($url) outside assets/" ;;
    esac
    rel="${rel%%[?#]*}"
    if printf '%s\n' "$rel" | grep -Eq "$BRANDED_RE"; then
      die "$css references branded asset $url"
    fi
    [ -f "$src/$rel" ] || die "$css references $url but $src/$rel does not exist"
    mkdir -p "$out/assets/$(dirname "$rel")"
    cp "$src/$rel" "$out/assets/$rel"
  done < <(grep -o 'url([^)]*)' "$css" | sed -e 's/^url(//' -e 's/)$//' -e 's/^["'\'']//' -e 's/["'\'']$//' | sort -u)
  mkdir -p "$out/assets"
}
vendor_css_assets "$CSS_SOURCE/govuk-frontend.min.css" "$GOVUK_PKG/dist/govuk/assets" "$GOVUK_OUT"
vendor_css_assets "$CSS_SOURCE/moj-frontend.min.css" "$MOJ_PKG/moj/assets" "$MOJ_OUT"
if [ -z "$(ls -A "$GOVUK_OUT/assets")" ]; then
  cat > "$GOVUK_OUT/assets/README.txt" <<'TXT'
Assets referenced by govuk-frontend.min.css (written by scripts/vendor_assets.sh).

The only image GOV.UK Frontend's CSS references is the GOV.UK crest (footer
copyright logo). It is GOV.UK branding, so it is not shipped: the build maps it
to `none` and removes the footer crest pseudo-element. No GDS Transport fonts,
GOV.UK favicons or manifest are shipped either. Harbour's own favicon is
/static/harbour/favicon.svg.
TXT
fi

# --------------------------------------------------------------------------- 3
say "copy JS, licences, versions"
copy_js() { # src dst ; strip the sourceMappingURL comment (maps not shipped)
  sed -e 's@//# sourceMappingURL=[^ ]*$@@' "$1" > "$2"
  grep -q 'sourceMappingURL' "$2" && die "$2 still has a sourceMappingURL"
  return 0
}
copy_js "$GOVUK_PKG/dist/govuk/govuk-frontend.min.js" "$GOVUK_OUT/govuk-frontend.min.js"
copy_js "$MOJ_PKG/moj/moj-frontend.min.js" "$MOJ_OUT/moj-frontend.min.js"
for js in "$GOVUK_OUT/govuk-frontend.min.js" "$MOJ_OUT/moj-frontend.min.js"; do
  grep -Eq 'export ?\{[^}]*\binitAll\b' "$js" || die "$js is not an ES module exporting initAll"
  grep -Eq '(^|[;}])import[ {"]|\bimport\(' "$js" && die "$js has imports (expected a self-contained bundle)"
done

# govuk-frontend and @ministryofjustice/frontend declare "license": "MIT" in
# package.json but ship no licence file in the npm tarball; fall back to the
# licence text from each project's repository (copied verbatim below).
write_licence() { # pkg_dir out_file fallback_text
  local f
  for f in LICENSE LICENSE.txt LICENSE.md LICENCE LICENCE.txt; do
    if [ -f "$1/$f" ]; then cp "$1/$f" "$2"; return; fi
  done
  printf '%s' "$3" > "$2"
}
GOVUK_LICENCE='The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
'
MOJ_LICENCE='MIT License

Copyright (c) 2021 dxw

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
'
write_licence "$GOVUK_PKG" "$GOVUK_OUT/LICENSE.txt" "$GOVUK_LICENCE"
write_licence "$MOJ_PKG" "$MOJ_OUT/LICENSE.txt" "$MOJ_LICENCE"
printf '%s\n' "$GOVUK_FRONTEND_VERSION" > "$GOVUK_OUT/VERSION"
printf '%s\n' "$MOJ_FRONTEND_VERSION" > "$MOJ_OUT/VERSION"

cp "$AXE_PKG/axe.min.js" "$AXE_OUT/axe.min.js"
cp "$AXE_PKG/LICENSE" "$AXE_OUT/axe-core-LICENSE.txt"
cp "$AXE_PKG/LICENSE-3RD-PARTY.txt" "$AXE_OUT/axe-core-LICENSE-3RD-PARTY.txt"
printf '%s\n' "$AXE_CORE_VERSION" > "$AXE_OUT/axe-core-VERSION"

# --------------------------------------------------------------------------- 4
say "trim the CSS to what Harbour's pages use"
cd "$REPO"
"$REPO/.venv/bin/python" scripts/purge_css.py

say "done"
find harbour/css_source harbour/static/vendor tests/browser/vendor -type f -printf '%8s  %p\n' | sort -k2
