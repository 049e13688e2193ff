data "bitbucket_group" "contractors" {
  name = "contractors"
}

# A missing group is not an error: grant only when it exists.
resource "bitbucket_repo_group_permission" "contractors" {
  count = data.bitbucket_group.contractors.exists ? 1 : 0

  project_key     = "PROJ"
  repository_slug = "api"
  group           = data.bitbucket_group.contractors.name
  permission      = "REPO_READ"
}

output "contractors" {
  value = data.bitbucket_group.contractors.members
}
