# Imported by PROJECT_KEY/repository-slug; the next plan then shows every
# grant that the configuration does not list as one to revoke.
terraform import bitbucket_repo_permissions.api PROJ/api
