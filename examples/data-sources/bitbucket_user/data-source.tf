# Fails the plan when jane.doe does not exist, before any grant is attempted.
data "bitbucket_user" "jane" {
  name = "jane.doe"
}

resource "bitbucket_repo_user_permission" "jane" {
  project_key     = "PROJ"
  repository_slug = "api"
  user            = data.bitbucket_user.jane.name
  permission      = "REPO_WRITE"
}

output "jane" {
  value = {
    slug   = data.bitbucket_user.jane.slug # used in URLs such as /users/{slug}
    email  = data.bitbucket_user.jane.email_address
    active = data.bitbucket_user.jane.active
  }
}
