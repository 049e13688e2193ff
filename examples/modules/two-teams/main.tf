# Two teams with the same shape of access to the repositories of one
# project, each through the team-access module.

variable "project_key" {
  type    = string
  default = "PROJ"
}

variable "repositories" {
  type    = list(string)
  default = ["api", "web"]
}

variable "backend_group" {
  type    = string
  default = "backend"
}

variable "qa_group" {
  type    = string
  default = "qa"
}

variable "on_loan_to_backend" {
  type    = list(string)
  default = ["jane.doe"]
}

module "backend" {
  source = "../team-access"

  project_key  = var.project_key
  repositories = var.repositories
  group        = var.backend_group
  users        = var.on_loan_to_backend
  permission   = "REPO_WRITE"
}

module "qa" {
  source = "../team-access"

  project_key  = var.project_key
  repositories = var.repositories
  group        = var.qa_group
  permission   = "REPO_READ"
}

output "grants" {
  value = concat(module.backend.grant_ids, module.qa.grant_ids)
}
