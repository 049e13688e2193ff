# A grant is imported by PROJECT_KEY/username.
terraform import bitbucket_project_user_permission.jane PROJ/jane.doe
