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

# request METHOD PATH [AUTHORIZATION [JSON-BODY]] prints the status line and
# the body of one REST call. It uses curl when there is one, and otherwise
# bash's own /dev/tcp, so the demo needs nothing but bash, Go and make.
request() {
  local method=$1 path=$2 auth=${3:-} body=${4:-}
  if command -v curl >/dev/null; then
    local args=(-sS -X "$method" -w '\n' -D "$work/headers")
    [ -n "$auth" ] && args+=(-H "Authorization: $auth")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
    local out
    out=$(curl "${args[@]}" "$url$path")
    head -n 1 "$work/headers" | tr -d '\r'
    printf '%s\n' "$out"
  else
    local hostport=${url#http://}
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
    {
      printf '%s %s HTTP/1.0\r\nHost: %s\r\n' "$method" "$path" "$hostport"
      [ -n "$auth" ] && printf 'Authorization: %s\r\n' "$auth"
      [ -n "$body" ] && printf 'Content-Type: application/json\r\nContent-Length: %d\r\n' "${#body}"
      printf '\r\n%s' "$body"
    } >&3
    local response
    response=$(cat <&3)
    exec 3<&-
    printf '%s\n' "$response" | head -n 1 | tr -d '\r'
    printf '%s\n' "$response" | sed '1,/^\r\{0,1\}$/d'
  fi
}
api() { request GET "/rest/api/1.0$1" "Bearer $token"; }

step "The walls the REST API puts up, called by hand"
echo "PUT without an Authorization header:"
request PUT "/rest/api/1.0/projects/PROJ/repos/test/permissions/users?name=new.user&permission=REPO_READ"
echo "PUT with a JSON body instead of query parameters:"
request PUT /rest/api/1.0/projects/PROJ/repos/test/permissions/users "Bearer $token" '{"name":"new.user","permission":"REPO_READ"}'
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
request DELETE "/rest/api/1.0/projects/PROJ/repos/test/permissions/users?name=new.user" "Bearer $token"
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
