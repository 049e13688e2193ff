#!/usr/bin/env bash
# make demo: builds nothing itself (make does), starts the standalone test
# instance on a free port, applies examples/demo with the freshly built
# provider through an offline plugin directory, shows the grants from
# Terraform and from the REST API, shows that a second plan is empty and that
# a grant revoked by hand is planned back, then destroys and stops.
set -euo pipefail
cd "$(dirname "$0")"
: "${TF:?TF must name terraform or tofu}" "${NAMESPACE:?}" "${VERSION:?}"
export TF_CLI_CONFIG_FILE=

root=$(cd ../.. && pwd)
work=$PWD/.work
rm -rf "$work" && mkdir -p "$work"
cp main.tf "$work/"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building and starting the Bitbucket test instance"
(cd "$root" && go build -o bin/bitbucket-test-instance ./internal/bitbuckettest/cmd/bitbucket-test-instance)
token=demo-admin-token
"$root/bin/bitbucket-test-instance" -listen 127.0.0.1:0 -token "$token" -seed seed.json >"$work/instance.log" 2>&1 &
instance=$!
trap 'kill $instance 2>/dev/null; wait $instance 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  url=$(head -n 1 "$work/instance.log" 2>/dev/null | grep -o 'http://[^ ]*' || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/instance.log"; echo "the test instance did not start"; exit 1; }
echo "Bitbucket test instance at $url (admin token: $token)"
export BITBUCKET_SERVER_URL=$url BITBUCKET_TOKEN=$token

api() { curl -sS -H "Authorization: Bearer $token" "$url/rest/api/1.0$1"; echo; }

step "The walls the REST API puts up, called by hand"
echo "PUT without an Authorization header:"
curl -sS -X PUT "$url/rest/api/1.0/projects/PROJ/repos/test/permissions/users?name=new.user&permission=REPO_READ"; echo
echo "PUT with a JSON body instead of query parameters:"
curl -sS -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"new.user","permission":"REPO_READ"}' "$url/rest/api/1.0/projects/PROJ/repos/test/permissions/users"; echo
echo "The provider sends neither mistake."

step "Installing the provider into an offline plugin directory"
for host in registry.terraform.io registry.opentofu.org; do
  dir="$work/plugins/$host/$NAMESPACE/bitbucket/$VERSION/linux_amd64"
  mkdir -p "$dir"
  cp "$root/bin/terraform-provider-bitbucket" "$dir/terraform-provider-bitbucket_v$VERSION"
done
cd "$work"
"$TF" init -input=false -plugin-dir="$work/plugins" >/dev/null
echo "ok"

step "terraform apply"
"$TF" apply -input=false -auto-approve

step "The grants as Terraform sees them"
"$TF" state show bitbucket_repo_user_permission.new_user_read

step "The grants as the REST API lists them: GET /rest/api/1.0/projects/PROJ/repos/test/permissions/users"
api /projects/PROJ/repos/test/permissions/users

step "A second plan has no changes"
"$TF" plan -input=false -detailed-exitcode

step "Someone revokes new.user by hand: DELETE …/permissions/users?name=new.user"
curl -sS -o /dev/null -w '%{http_code}\n' -X DELETE -H "Authorization: Bearer $token" \
  "$url/rest/api/1.0/projects/PROJ/repos/test/permissions/users?name=new.user"
step "The next plan grants it again"
set +e
"$TF" plan -input=false -detailed-exitcode
code=$?
set -e
[ "$code" -eq 2 ] || { echo "expected a plan with changes (exit 2), got $code"; exit 1; }
"$TF" apply -input=false -auto-approve >/dev/null
echo "applied"

step "terraform destroy"
"$TF" destroy -input=false -auto-approve
api /projects/PROJ/repos/test/permissions/users

step "Demo complete"
