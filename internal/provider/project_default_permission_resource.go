package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ resource.ResourceWithConfigure   = (*projectDefaultPermissionResource)(nil)
	_ resource.ResourceWithImportState = (*projectDefaultPermissionResource)(nil)
)

// defaultPermissions are the values a project default may take, highest
// first, so that Read reports the highest one granted. The reference
// (bitbucket-api.md §4.2) agrees on these two; REPO_CREATE (Appfire, 8.2+)
// and PROJECT_ADMIN (the spec's path enum) disagree between sources, so
// they are left out rather than guessed at.
var defaultPermissions = []string{"PROJECT_WRITE", "PROJECT_READ"}

// projectDefaultPermissionResource is bitbucket_project_default_permission:
// what every logged-in user may do in a project.
type projectDefaultPermissionResource struct {
	data *providerData
}

type projectDefaultPermissionModel struct {
	ID         types.String `tfsdk:"id"`
	ProjectKey types.String `tfsdk:"project_key"`
	Permission types.String `tfsdk:"permission"`
}

// NewProjectDefaultPermissionResource is bitbucket_project_default_permission.
func NewProjectDefaultPermissionResource() resource.Resource {
	return &projectDefaultPermissionResource{}
}

func (r *projectDefaultPermissionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_default_permission"
}

func (r *projectDefaultPermissionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := scopeProject.resourceAttributes("resource")
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The project key; also the import ID.",
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	attrs["permission"] = schema.StringAttribute{
		MarkdownDescription: "The permission every logged-in user gets: `PROJECT_READ` or `PROJECT_WRITE`.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.OneOf(defaultPermissions...)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sets the default permission of a project: what **every logged-in user** may do in it " +
			"(\"Grant access to all logged-in users\" in project settings). This is not the project's public flag, " +
			"which controls anonymous access. Use at most one per project.\n\n" +
			"Changing the permission revokes the old default before granting the new one; destroying the resource " +
			"leaves the project without a default. A default removed outside Terraform is planned to be set again. " +
			"The credentials need `PROJECT_ADMIN` on the project. Import ID: the project key, for example `PROJ`.",
		Attributes: attrs,
	}
}

func (r *projectDefaultPermissionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *projectDefaultPermissionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *projectDefaultPermissionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectDefaultPermissionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	key := state.ProjectKey.ValueString()
	current, err := r.current(ctx, key)
	switch {
	case isGone(err):
		warnGone(&resp.Diagnostics, "Default permission of project "+key, "project "+key, err)
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read the default permission of project "+key, r.explain(err, key))
		return
	case current == "" && state.Permission.ValueString() == "":
		// Only an import leaves the permission empty.
		resp.Diagnostics.AddWarning("Nothing to import for project "+key,
			"Project "+key+" grants no permission to all logged-in users. Let Terraform set it instead.")
		resp.State.RemoveResource(ctx)
		return
	case current == "":
		resp.Diagnostics.AddWarning("Default permission of project "+key+" was removed outside Terraform",
			fmt.Sprintf("Project %s no longer grants %s to all logged-in users. Terraform will plan to set it again.",
				key, state.Permission.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	state.Permission = types.StringValue(current)
	state.ID = state.ProjectKey
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *projectDefaultPermissionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// apply sets the planned default and records it in the state.
func (r *projectDefaultPermissionResource) apply(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, diags *diag.Diagnostics) {
	var m projectDefaultPermissionModel
	diags.Append(plan.Get(ctx, &m)...)
	if diags.HasError() || !requireClient(r.data, diags) {
		return
	}
	key, permission := m.ProjectKey.ValueString(), m.Permission.ValueString()
	if err := r.set(ctx, key, permission); err != nil {
		diags.AddError(fmt.Sprintf("Could not set the default permission of project %s to %s", key, permission), r.explain(err, key))
		return
	}
	m.ID = m.ProjectKey
	diags.Append(state.Set(ctx, m)...)
}

func (r *projectDefaultPermissionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectDefaultPermissionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	key := state.ProjectKey.ValueString()
	err := r.set(ctx, key, "")
	if isGone(err) {
		tflog.Info(ctx, "project already gone", map[string]any{"project_key": key})
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not remove the default permission of project "+key, r.explain(err, key))
	}
}

func (r *projectDefaultPermissionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if strings.TrimSpace(req.ID) == "" || strings.Contains(req.ID, "/") {
		resp.Diagnostics.AddError("Invalid import ID for "+req.ID,
			fmt.Sprintf("Could not import bitbucket_project_default_permission: expected the project key, for example \"PROJ\"; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_key"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// current returns the highest default permission the project grants, or "".
func (r *projectDefaultPermissionResource) current(ctx context.Context, key string) (string, error) {
	for _, p := range defaultPermissions {
		permitted, err := r.data.client.DefaultPermission(ctx, key, p)
		if err != nil {
			return "", err
		}
		if permitted {
			return p, nil
		}
	}
	return "", nil
}

// set makes permission the project's only default ("" for none). Other
// values are revoked first: whether Bitbucket lets one default imply another
// is unknown (bitbucket-api.md §4.2), so the result must not depend on it.
func (r *projectDefaultPermissionResource) set(ctx context.Context, key, permission string) error {
	for _, p := range defaultPermissions {
		if p == permission {
			continue
		}
		tflog.Debug(ctx, "revoking project default permission", map[string]any{"project_key": key, "permission": p})
		if err := r.data.client.SetDefaultPermission(ctx, key, p, false); err != nil {
			return err
		}
	}
	if permission == "" {
		return nil
	}
	tflog.Debug(ctx, "granting project default permission", map[string]any{"project_key": key, "permission": permission})
	return r.data.client.SetDefaultPermission(ctx, key, permission, true)
}

func (r *projectDefaultPermissionResource) explain(err error, key string) string {
	return explainError(err, errorContext{
		object:    "project " + key,
		needs:     "PROJECT_ADMIN on project " + key,
		usesToken: r.data.usesToken,
	})
}
