# Everyone who can reach PROJ/api, through any grant, and why.
data "bitbucket_repo_effective_access" "api" {
  project_key     = "PROJ"
  repository_slug = "api"
}

# Who may push, e.g. for an access review:
# { "jane.doe" = ["direct: REPO_WRITE", "project group developers: PROJECT_READ"], ... }
output "api_writers" {
  value = {
    for u in data.bitbucket_repo_effective_access.api.users : u.name => u.sources
    if contains(["REPO_WRITE", "REPO_ADMIN"], u.permission)
  }
}

# Fail the plan when anyone outside the approved list can administer it.
locals {
  approved_admins = ["jane.doe", "admin"]
  unexpected_admins = [
    for u in data.bitbucket_repo_effective_access.api.users : u.name
    if u.permission == "REPO_ADMIN" && !contains(local.approved_admins, lower(u.name))
  ]
}

check "api_admins" {
  assert {
    condition     = length(local.unexpected_admins) == 0
    error_message = "Unexpected administrators of PROJ/api: ${join(", ", local.unexpected_admins)}"
  }
}
