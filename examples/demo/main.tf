# The demo replays the story this provider was built for: a user who needed
# read access for new.user on PROJ/test, got a bare 401 without the
# Authorization header and a 400 for a JSON body. Here it is one resource.
#
# server_url and token come from BITBUCKET_SERVER_URL and BITBUCKET_TOKEN.
terraform {
  required_providers {
    bitbucket = {
      source = "bitbucket-access/bitbucket"
    }
  }
}

provider "bitbucket" {}

resource "bitbucket_repo_user_permission" "new_user_read" {
  project_key     = "PROJ"
  repository_slug = "test"
  user            = "new.user"
  permission      = "REPO_READ"
}

resource "bitbucket_repo_user_permission" "reviewers" {
  for_each = toset(["jane.doe", "john.smith"])

  project_key     = "PROJ"
  repository_slug = "test"
  user            = each.key
  permission      = "REPO_WRITE"
}

output "grants" {
  value = concat(
    [bitbucket_repo_user_permission.new_user_read.id],
    [for g in bitbucket_repo_user_permission.reviewers : g.id],
  )
}
