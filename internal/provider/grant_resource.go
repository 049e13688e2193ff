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
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

var (
	_ resource.Resource                = (*grantResource)(nil)
	_ resource.ResourceWithConfigure   = (*grantResource)(nil)
	_ resource.ResourceWithImportState = (*grantResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*grantResource)(nil)
)

// grantResource manages one principal's explicit permission at one scope.
// Every one-principal permission resource is a grantResource with its own
// grantKind; the attributes differ by scope, so they are read and written by
// path rather than through a struct.
type grantResource struct {
	kind grantKind
	data *providerData
}

func (r *grantResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName()
}

func (r *grantResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	k := r.kind
	format, example := k.importIDFormat()
	attrs := k.scope.resourceAttributes("grant")
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("The grant's identifier, `%s`; also its import ID.", format),
		Computed:            true,
	}
	attrs["permission"] = schema.StringAttribute{
		MarkdownDescription: "The permission to grant: one of " + codeList(k.permissions()) +
			". Changing it updates the grant in place." + versionNote(k.scope),
		Required:   true,
		Validators: []validator.String{stringvalidator.OneOf(k.permissions()...)},
	}
	attrs[k.principalAttribute()] = schema.StringAttribute{
		MarkdownDescription: principalDescription(k.principal),
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		// Bitbucket names are case-insensitive (bitbucket-api.md §16), so a
		// change of case alone is the same principal: update, not replace.
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
			func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
			},
			"Changing the "+k.principalAttribute()+" replaces the grant; a change of letter case only does not.",
			"Changing the `"+k.principalAttribute()+"` replaces the grant; a change of letter case only does not.",
		)},
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Grants one %s an explicit permission on %s.\n\n"+
			"Bitbucket keeps at most one explicit permission per %s at this scope, so if a grant already exists "+
			"when Terraform creates this resource, Terraform adopts it and sets it to `permission`; destroying the "+
			"resource then revokes it. A grant revoked outside Terraform is planned to be created again, and a "+
			"permission changed outside Terraform is planned to be changed back.\n\n"+
			"The credentials need %s. Import ID: `%s`, for example `%s`.",
			k.principalAttribute(), scopeSentence(k.scope), k.principalAttribute(),
			neededSentence(k), format, example),
		Attributes: attrs,
	}
}

func (r *grantResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// ModifyPlan derives the ID from the planned identifying attributes, so it
// is known in the plan and follows a change of letter case in the principal.
func (r *grantResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var values []string
	for _, attr := range r.kind.idAttributes() {
		var v types.String
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(attr), &v)...)
		if v.IsUnknown() || v.IsNull() {
			return
		}
		values = append(values, v.ValueString())
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), r.kind.id(r.kind.address(values)))...)
}

func (r *grantResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Plan.GetAttribute, resp.State.SetAttribute, &resp.Diagnostics)
}

func (r *grantResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	addr, permission, diags := r.get(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		// The provider configuration is still unknown (see Configure): keep
		// the state as it is; it is refreshed at apply.
		return
	}
	k := r.kind
	grant, err := r.data.client.GetPermission(ctx, k.clientScope(addr), k.principal, addr.Principal)
	switch {
	case isGone(err):
		warnGone(&resp.Diagnostics, "Grant of "+k.describe(addr), k.scope.missingName(err, addr.scopeAddress), err)
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read the grant of "+k.describe(addr), r.explain(err, addr))
		return
	case grant == nil && permission == "":
		// Only an import leaves the permission empty.
		resp.Diagnostics.AddWarning("Nothing to import for "+k.describe(addr),
			fmt.Sprintf("Bitbucket lists no explicit permission for %s. Check the names in the import ID, or let "+
				"Terraform create the grant instead.", k.describe(addr)))
		resp.State.RemoveResource(ctx)
		return
	case grant == nil:
		resp.Diagnostics.AddWarning(
			fmt.Sprintf("Grant of %s was revoked outside Terraform", k.describe(addr)),
			fmt.Sprintf("Bitbucket lists no explicit permission for %s (it had %s). It is removed from the state, "+
				"and Terraform will plan to grant it again.", k.describe(addr), permission))
		resp.State.RemoveResource(ctx)
		return
	}
	// Keep the configuration's spelling of the principal: Bitbucket matched
	// it ignoring case and may list it as, say, "alice" for "Alice".
	resp.Diagnostics.Append(r.set(ctx, resp.State.SetAttribute, addr, grant.Permission)...)
}

func (r *grantResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Plan.GetAttribute, resp.State.SetAttribute, &resp.Diagnostics)
}

func (r *grantResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	addr, _, diags := r.get(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) {
		return
	}
	k := r.kind
	tflog.Debug(ctx, "revoking permission", map[string]any{"grant": k.id(addr), "scope": k.scope.word()})
	err := r.data.client.RevokePermission(ctx, k.clientScope(addr), k.principal, addr.Principal)
	if isGone(err) {
		// The user, repository or project is already gone, and its grants with it.
		tflog.Info(ctx, "grant already gone", map[string]any{"grant": k.id(addr), "reason": serverSaid(err)})
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not revoke the permission of "+k.describe(addr), r.explain(err, addr))
	}
}

func (r *grantResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	addr, err := r.kind.parseID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID for "+req.ID, "Could not import bitbucket_"+r.kind.typeName()+": "+err.Error()+".")
		return
	}
	// Read fills in the permission, or reports that there is nothing to import.
	resp.Diagnostics.Append(r.setAddress(ctx, resp.State.SetAttribute, addr)...)
}

// apply grants the planned permission and records it in the state. One PUT
// both creates and changes a grant (bitbucket-api.md §11), so Create and
// Update are the same.
func (r *grantResource) apply(ctx context.Context, get getAttributeFunc, set setAttributeFunc, diags *diag.Diagnostics) {
	addr, permission, d := r.get(ctx, get)
	diags.Append(d...)
	if diags.HasError() || !requireClient(r.data, diags) {
		return
	}
	k := r.kind
	tflog.Debug(ctx, "granting permission", map[string]any{"grant": k.id(addr), "permission": permission})
	if err := r.data.client.SetPermission(ctx, k.clientScope(addr), k.principal, permission, addr.Principal); err != nil {
		diags.AddError(fmt.Sprintf("Could not grant %s to %s", permission, k.describe(addr)), r.explain(err, addr))
		return
	}
	diags.Append(r.set(ctx, set, addr, permission)...)
}

func (r *grantResource) explain(err error, addr grantAddress) string {
	k := r.kind
	return explainError(err, errorContext{
		object:    k.describe(addr),
		attribute: k.principalAttribute(),
		needs:     k.scope.neededPermission() + " on " + k.scope.name(addr.scopeAddress),
		admin:     k.scope == scopeGlobal,
		usesToken: r.data.usesToken,
	})
}

type getAttributeFunc func(context.Context, path.Path, any) diag.Diagnostics
type setAttributeFunc func(context.Context, path.Path, any) diag.Diagnostics

// get reads the identifying attributes and the permission from a plan or state.
func (r *grantResource) get(ctx context.Context, get getAttributeFunc) (grantAddress, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	var values []string
	for _, attr := range append(r.kind.idAttributes(), "permission") {
		var v types.String
		diags.Append(get(ctx, path.Root(attr), &v)...)
		values = append(values, v.ValueString())
	}
	n := len(values) - 1
	return r.kind.address(values[:n]), values[n], diags
}

func (r *grantResource) set(ctx context.Context, set setAttributeFunc, addr grantAddress, permission string) diag.Diagnostics {
	diags := r.setAddress(ctx, set, addr)
	diags.Append(set(ctx, path.Root("permission"), permission)...)
	return diags
}

func (r *grantResource) setAddress(ctx context.Context, set setAttributeFunc, addr grantAddress) diag.Diagnostics {
	var diags diag.Diagnostics
	values := r.kind.values(addr)
	for i, attr := range r.kind.idAttributes() {
		diags.Append(set(ctx, path.Root(attr), values[i])...)
	}
	diags.Append(set(ctx, path.Root("id"), r.kind.id(addr))...)
	return diags
}

func principalDescription(p bitbucket.PrincipalType) string {
	if p == bitbucket.PrincipalGroup {
		return "Name of the group. Bitbucket compares group names ignoring case. Changing it replaces the grant."
	}
	return "Username of the user (the name they log in with, not their slug or display name), such as " +
		"`jane.doe` or `jane@example.com`. Bitbucket compares usernames ignoring case; the spelling in the " +
		"configuration is kept in state. Changing it replaces the grant."
}

func scopeSentence(s scopeLevel) string {
	switch s {
	case scopeRepository:
		return "one repository"
	case scopeProject:
		return "one project, which applies to every repository in it"
	default:
		return "the whole Bitbucket instance (a global permission)"
	}
}

func neededSentence(k grantKind) string {
	if k.scope == scopeGlobal {
		return "ADMIN (SYS_ADMIN to grant SYS_ADMIN), and Bitbucket accepts only username and password on its `/admin` " +
			"endpoints, not HTTP access tokens"
	}
	return "`" + k.scope.neededPermission() + "` on the " + k.scope.noun()
}

// versionNote warns of permissions that not every Bitbucket version knows.
func versionNote(s scopeLevel) string {
	if s == scopeProject {
		return " `REPO_CREATE` needs Bitbucket 8.2 or later."
	}
	return ""
}

func codeList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
