package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// The one-principal permission resources. They differ only by the scope of
// their grants and the kind of principal; grantResource holds the behaviour
// and grantKind derives each one's attributes, permissions and import ID.

// NewRepoUserPermissionResource is bitbucket_repo_user_permission.
func NewRepoUserPermissionResource() resource.Resource {
	return newGrantResource(scopeRepository, bitbucket.PrincipalUser)
}

// NewRepoGroupPermissionResource is bitbucket_repo_group_permission.
func NewRepoGroupPermissionResource() resource.Resource {
	return newGrantResource(scopeRepository, bitbucket.PrincipalGroup)
}

// NewProjectUserPermissionResource is bitbucket_project_user_permission.
func NewProjectUserPermissionResource() resource.Resource {
	return newGrantResource(scopeProject, bitbucket.PrincipalUser)
}

// NewProjectGroupPermissionResource is bitbucket_project_group_permission.
func NewProjectGroupPermissionResource() resource.Resource {
	return newGrantResource(scopeProject, bitbucket.PrincipalGroup)
}

// NewGlobalUserPermissionResource is bitbucket_global_user_permission.
func NewGlobalUserPermissionResource() resource.Resource {
	return newGrantResource(scopeGlobal, bitbucket.PrincipalUser)
}

// NewGlobalGroupPermissionResource is bitbucket_global_group_permission.
func NewGlobalGroupPermissionResource() resource.Resource {
	return newGrantResource(scopeGlobal, bitbucket.PrincipalGroup)
}

func newGrantResource(scope scopeLevel, principal bitbucket.PrincipalType) resource.Resource {
	return &grantResource{kind: grantKind{scope: scope, principal: principal}}
}
