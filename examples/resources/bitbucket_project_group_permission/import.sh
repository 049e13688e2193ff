# A grant is imported by PROJECT_KEY/group-name.
terraform import bitbucket_project_group_permission.qa PROJ/qa
