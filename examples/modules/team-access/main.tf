# Gives one team, its group plus named users, one permission on each of a
# list of repositories of a project.

resource "bitbucket_repo_group_permission" "team" {
  for_each = var.group == null ? toset([]) : toset(var.repositories)

  project_key     = var.project_key
  repository_slug = each.key
  group           = var.group
  permission      = var.permission
}

resource "bitbucket_repo_user_permission" "members" {
  # Keyed by "user/repository" so adding a repository or a user adds grants
  # without touching the others.
  for_each = {
    for pair in setproduct(var.users, var.repositories) : "${pair[0]}/${pair[1]}" => {
      user       = pair[0]
      repository = pair[1]
    }
  }

  project_key     = var.project_key
  repository_slug = each.value.repository
  user            = each.value.user
  permission      = var.permission
}
