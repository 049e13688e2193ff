# A grant is imported by its username.
terraform import bitbucket_global_user_permission.ci_bot ci-bot
