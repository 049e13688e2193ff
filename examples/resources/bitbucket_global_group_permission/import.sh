# A grant is imported by its group name.
terraform import bitbucket_global_group_permission.contractors contractors
