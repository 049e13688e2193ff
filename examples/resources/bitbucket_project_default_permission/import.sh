# The default permission of a project is imported by its project key.
terraform import bitbucket_project_default_permission.proj PROJ
