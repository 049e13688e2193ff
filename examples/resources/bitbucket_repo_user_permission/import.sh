# A grant is imported by PROJECT_KEY/repository-slug/username.
terraform import bitbucket_repo_user_permission.new_user_read PROJ/test/new.user
