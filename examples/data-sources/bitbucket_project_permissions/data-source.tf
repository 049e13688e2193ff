# Who has an explicit grant on project PROJ (and so on all its repositories).
data "bitbucket_project_permissions" "proj" {
  project_key = "PROJ"
}

# As a map of name => permission, for groups.
output "proj_groups" {
  value = { for g in data.bitbucket_project_permissions.proj.groups : g.name => g.permission }
}
