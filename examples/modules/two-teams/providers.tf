terraform {
  required_providers {
    bitbucket = {
      source = "bitbucket-access/bitbucket"
    }
  }
}

# server_url and token come from BITBUCKET_SERVER_URL and BITBUCKET_TOKEN.
provider "bitbucket" {}
