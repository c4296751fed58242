#!/usr/bin/env sh
# The dashboard tests render pages in Debian's Chromium (test/reports/futurelearn/
# dashboard.browser.test.ts). Installs it with apt when it is missing: .ci/run calls it, and
# developers run it once (`npm test` changes nothing outside the repository, and skips those
# tests without it); says so when it cannot.
[ -x /usr/bin/chromium ] && exit 0
echo "xapi-gateway: installing Debian's chromium for the browser tests"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
{ $SUDO apt-get install -y -q chromium || { $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium; }; } >/dev/null 2>&1 \
  || echo "xapi-gateway: could not install Debian's chromium (apt-get install -y chromium): the browser tests will be skipped, and .ci/run fails"
exit 0
