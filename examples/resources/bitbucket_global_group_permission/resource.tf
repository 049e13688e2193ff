# Members of "contractors" may log in (and use a licence).
# Like every global permission, this needs username and password in the provider block.
resource "bitbucket_global_group_permission" "contractors" {
  group      = "contractors"
  permission = "LICENSED_USER"
}
