# Everyone in "qa" may read every repository of project PROJ.
resource "bitbucket_project_group_permission" "qa" {
  project_key = "PROJ"
  group       = "qa"
  permission  = "PROJECT_READ"
}
