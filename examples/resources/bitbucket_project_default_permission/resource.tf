# Every logged-in user may read all repositories of project PROJ.
resource "bitbucket_project_default_permission" "proj" {
  project_key = "PROJ"
  permission  = "PROJECT_READ"
}
