# Give new.user read access to repository "test" in project PROJ.
resource "bitbucket_repo_user_permission" "new_user_read" {
  project_key     = "PROJ"
  repository_slug = "test"
  user            = "new.user"
  permission      = "REPO_READ"
}

# The same permission for several users on several repositories.
locals {
  readers      = ["jane.doe", "john.smith"]
  repositories = ["api", "web"]
}

resource "bitbucket_repo_user_permission" "readers" {
  for_each = { for pair in setproduct(local.readers, local.repositories) : "${pair[0]}/${pair[1]}" => pair }

  project_key     = "PROJ"
  repository_slug = each.value[1]
  user            = each.value[0]
  permission      = "REPO_READ"
}
