# Global permissions need username and password: Bitbucket refuses HTTP
# access tokens on its /admin endpoints.
provider "bitbucket" {
  server_url = "https://bitbucket.example.com"
  username   = "terraform-admin"
  password   = var.bitbucket_password
}

# ci-bot may create projects.
resource "bitbucket_global_user_permission" "ci_bot" {
  user       = "ci-bot"
  permission = "PROJECT_CREATE"
}

variable "bitbucket_password" {
  type      = string
  sensitive = true
}
