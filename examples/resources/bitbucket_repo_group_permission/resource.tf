# Developers may push to repository "api" in project PROJ.
resource "bitbucket_repo_group_permission" "developers" {
  project_key     = "PROJ"
  repository_slug = "api"
  group           = "developers"
  permission      = "REPO_WRITE"
}
