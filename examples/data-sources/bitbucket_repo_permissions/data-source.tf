# Who has an explicit grant on repository PROJ/api.
data "bitbucket_repo_permissions" "api" {
  project_key     = "PROJ"
  repository_slug = "api"
}

# The explicit repository administrators, by name.
output "api_admins" {
  value = [for u in data.bitbucket_repo_permissions.api.users : u.name if u.permission == "REPO_ADMIN"]
}

# filter is a substring match: "bob" also lists "bobby". Pick the exact name
# out of the result when one user is wanted.
data "bitbucket_repo_permissions" "bobs" {
  project_key     = "PROJ"
  repository_slug = "api"
  filter          = "bob"
}

output "bob_permission" {
  value = one([for u in data.bitbucket_repo_permissions.bobs.users : u.permission if lower(u.name) == "bob"])
}
