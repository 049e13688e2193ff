variable "project_key" {
  description = "Key of the project that holds the repositories, such as \"PROJ\"."
  type        = string
}

variable "repositories" {
  description = "Slugs of the repositories the team gets access to."
  type        = list(string)
}

variable "group" {
  description = "The team's Bitbucket group, or null to grant named users only."
  type        = string
  default     = null
}

variable "users" {
  description = "Usernames that get the same access as the group, such as members of other teams on loan."
  type        = list(string)
  default     = []
}

variable "permission" {
  description = "The repository permission the team gets: REPO_READ, REPO_WRITE or REPO_ADMIN."
  type        = string
  validation {
    condition     = contains(["REPO_READ", "REPO_WRITE", "REPO_ADMIN"], var.permission)
    error_message = "permission must be REPO_READ, REPO_WRITE or REPO_ADMIN."
  }
}
