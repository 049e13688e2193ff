terraform {
  required_providers {
    bitbucket = {
      source = "bitbucket-access/bitbucket"
    }
  }
}

# With an HTTP access token (personal, project or repository token).
# server_url and token can also come from BITBUCKET_SERVER_URL and BITBUCKET_TOKEN.
provider "bitbucket" {
  server_url = "https://bitbucket.example.com"
  token      = var.bitbucket_token
}

# With username and password, which Bitbucket requires on its /admin
# endpoints (global permissions); also BITBUCKET_USERNAME and BITBUCKET_PASSWORD.
provider "bitbucket" {
  alias          = "admin"
  server_url     = "https://bitbucket.example.com/bitbucket" # a context path is fine
  username       = "terraform"
  password       = var.bitbucket_password
  ca_certificate = file("${path.module}/corp-ca.pem") # servers behind an internal CA
}

variable "bitbucket_token" {
  type      = string
  sensitive = true
}

variable "bitbucket_password" {
  type      = string
  sensitive = true
}
