terraform {
  required_version = ">= 1.5"
  required_providers {
    bitbucket = {
      source = "bitbucket-access/bitbucket"
    }
  }
}
