# Global permissions need username and password: Bitbucket refuses HTTP
# access tokens on its /admin endpoints.
provider "bitbucket" {
  server_url = "https://bitbucket.example.com"
  username   = "terraform-admin"
  password   = var.bitbucket_password
}

data "bitbucket_global_permissions" "all" {}

# Users and groups that administer the whole instance.
output "instance_admins" {
  value = {
    users  = [for u in data.bitbucket_global_permissions.all.users : u.name if contains(["ADMIN", "SYS_ADMIN"], u.permission)]
    groups = [for g in data.bitbucket_global_permissions.all.groups : g.name if contains(["ADMIN", "SYS_ADMIN"], g.permission)]
  }
}

variable "bitbucket_password" {
  type      = string
  sensitive = true
}
