package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

// NewRepoUserPermissionResource is bitbucket_repo_user_permission: one
// user's explicit permission on one repository.
func NewRepoUserPermissionResource() resource.Resource {
	return &grantResource{kind: grantKind{scope: scopeRepository, principal: bitbucket.PrincipalUser}}
}
