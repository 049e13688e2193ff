output "grant_ids" {
  description = "IDs of every grant the module manages: PROJECT/repository/principal."
  value = concat(
    [for g in bitbucket_repo_group_permission.team : g.id],
    [for u in bitbucket_repo_user_permission.members : u.id],
  )
}
