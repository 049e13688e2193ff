# Or with an import block (Terraform 1.5 and later), then terraform plan.
import {
  to = bitbucket_repo_user_permission.new_user_read
  id = "PROJ/test/new.user"
}
