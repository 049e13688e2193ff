# Imported by its project key.
terraform import bitbucket_project_permissions.proj PROJ
