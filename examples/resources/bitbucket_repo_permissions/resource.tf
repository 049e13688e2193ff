# The complete list of who has explicit access to PROJ/api. Any other user or
# group grant on this repository, including one made by hand in the UI, is
# revoked on the next apply.
resource "bitbucket_repo_permissions" "api" {
  project_key     = "PROJ"
  repository_slug = "api"

  users = {
    "jane.doe"  = "REPO_ADMIN"
    "ci-bot"    = "REPO_WRITE"
    "auditor.1" = "REPO_READ"
  }

  groups = {
    "developers" = "REPO_WRITE"
  }
}

# Do NOT also manage the same repository with the one-principal resources:
# the two would undo each other on every apply. This is the mistake:
#
# resource "bitbucket_repo_user_permission" "conflict" {
#   project_key     = "PROJ"
#   repository_slug = "api"      # owned by bitbucket_repo_permissions.api above
#   user            = "john.smith"
#   permission      = "REPO_READ"
# }
#
# Add john.smith to users above instead. One-principal resources are fine on
# repositories that no bitbucket_repo_permissions owns.
