# jane.doe administers project PROJ and every repository in it.
resource "bitbucket_project_user_permission" "jane" {
  project_key = "PROJ"
  user        = "jane.doe"
  permission  = "PROJECT_ADMIN"
}
