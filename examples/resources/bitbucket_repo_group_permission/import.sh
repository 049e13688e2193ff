# A grant is imported by PROJECT_KEY/repository-slug/group-name.
terraform import bitbucket_repo_group_permission.developers PROJ/api/developers
