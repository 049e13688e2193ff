# The complete list of explicit grants on project PROJ. Keep the account
# Terraform uses in it (or give that account a global permission): Bitbucket
# refuses to let it remove its own access.
resource "bitbucket_project_permissions" "proj" {
  project_key = "PROJ"

  users = {
    "terraform" = "PROJECT_ADMIN"
    "jane.doe"  = "PROJECT_ADMIN"
  }

  groups = {
    "developers" = "PROJECT_WRITE"
    "qa"         = "PROJECT_READ"
  }
}

# Not together with bitbucket_project_user_permission or
# bitbucket_project_group_permission on the same project: each would revert
# the other on every apply.
