package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	_ resource.ResourceWithConfigure   = (*exclusivePermissionsResource)(nil)
	_ resource.ResourceWithImportState = (*exclusivePermissionsResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*exclusivePermissionsResource)(nil)
)

// exclusivePermissionsResource owns every explicit user and group grant of
// one repository or project: grants missing from the configuration are
// revoked, including ones made outside Terraform.
type exclusivePermissionsResource struct {
	scope scopeLevel
	data  *providerData
}

// NewRepoPermissionsResource is bitbucket_repo_permissions.
func NewRepoPermissionsResource() resource.Resource {
	return &exclusivePermissionsResource{scope: scopeRepository}
}

// NewProjectPermissionsResource is bitbucket_project_permissions.
func NewProjectPermissionsResource() resource.Resource {
	return &exclusivePermissionsResource{scope: scopeProject}
}

// principals are the two maps of the resource and the principal each holds.
var principals = []struct {
	attribute string
	principal bitbucket.PrincipalType
	singular  string
}{
	{"users", bitbucket.PrincipalUser, "user"},
	{"groups", bitbucket.PrincipalGroup, "group"},
}

func (r *exclusivePermissionsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.scope.word() + "_permissions"
}

func (r *exclusivePermissionsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	s := r.scope
	format, example := s.idPlaceholders()
	one := "bitbucket_" + s.word() + "_user_permission` or `bitbucket_" + s.word() + "_group_permission"
	attrs := s.resourceAttributes("resource")
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("`%s`; also the import ID.", strings.Join(format, "/")),
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	for _, p := range principals {
		attrs[p.attribute] = schema.MapAttribute{
			MarkdownDescription: fmt.Sprintf("Every %s with an explicit permission on the %s, as `name = permission`; "+
				"permission is one of %s. Names are compared ignoring case, so one %s may appear only once. "+
				"Leaving it out, or `{}`, revokes every %s grant.%s", p.singular, s.noun(), codeList(s.permissions()),
				p.singular, p.singular, versionNote(s)),
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.Map{
				mapvalidator.ValueStringsAre(stringvalidator.OneOf(s.permissions()...)),
				uniqueKeysIgnoringCase{},
			},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Owns the complete set of explicit user and group permissions of one %s. "+
			"Grants missing from `users` and `groups` are revoked, including ones made outside Terraform: every plan "+
			"shows the grants it will add, change or revoke, and when the resource is created, a warning lists the "+
			"existing grants that applying will revoke.\n\n"+
			"Do not combine it with `%s` on the same %s: each would undo the other's changes on every apply.\n\n"+
			"Bitbucket refuses changes that would lower the permission of the account Terraform uses (unless a "+
			"higher project or global permission covers it), so keep that account in the configuration or use "+
			"credentials whose access comes from elsewhere. Grants are applied before revocations, so a failed run "+
			"never leaves less access than planned. Destroying the resource revokes every grant it lists.\n\n"+
			"The credentials need `%s` on the %s. Import ID: `%s`, for example `%s`.",
			s.noun(), one, s.noun(), s.neededPermission(), s.noun(), strings.Join(format, "/"), strings.Join(example, "/")),
		Attributes: attrs,
	}
}

func (r *exclusivePermissionsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// grantSet is the desired or current grants of one principal type, by name.
type grantSet map[string]string

// lookup finds name ignoring case, as Bitbucket compares names.
func (g grantSet) lookup(name string) (string, string, bool) {
	for k, v := range g {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", "", false
}

// ModifyPlan, when the resource is created, makes the ID known and warns
// which existing grants the apply will revoke or change: they are not in any
// state yet, so the plan's diff cannot show them.
func (r *exclusivePermissionsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	addr, desired, diags := r.get(ctx, req.Plan.GetAttribute)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() || addr == nil {
		return // unknown values: nothing to compare yet
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), strings.Join(r.scope.values(*addr), "/"))...)
	if r.data == nil {
		return
	}
	var changes []string
	for _, p := range principals {
		current, err := r.current(ctx, *addr, p.principal)
		if err != nil {
			return // the apply reports it with the full explanation
		}
		for _, name := range sortedKeys(current) {
			if _, want, ok := desired[p.attribute].lookup(name); !ok {
				changes = append(changes, fmt.Sprintf("revoke %s %q (%s)", p.singular, name, current[name]))
			} else if want != current[name] {
				changes = append(changes, fmt.Sprintf("change %s %q from %s to %s", p.singular, name, current[name], want))
			}
		}
	}
	if len(changes) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Applying will change %d existing grants on %s", len(changes), r.scope.name(*addr)),
			"This resource takes over every explicit permission of the "+r.scope.noun()+". Besides granting what the "+
				"configuration lists, applying will:\n  - "+strings.Join(changes, "\n  - ")+
				"\nAdd these to users or groups to keep them.")
	}
}

func (r *exclusivePermissionsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Plan.GetAttribute, resp.State.SetAttribute, &resp.Diagnostics)
}

func (r *exclusivePermissionsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Plan.GetAttribute, resp.State.SetAttribute, &resp.Diagnostics)
}

func (r *exclusivePermissionsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	addr, prior, diags := r.get(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || r.data == nil || addr == nil {
		return
	}
	for _, p := range principals {
		current, err := r.current(ctx, *addr, p.principal)
		if isGone(err) {
			warnGone(&resp.Diagnostics, "Permissions of "+r.scope.name(*addr), r.scope.missingName(err, *addr), err)
			resp.State.RemoveResource(ctx)
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Could not read the "+p.singular+" permissions of "+r.scope.name(*addr),
				r.explain(err, r.scope.name(*addr), p.attribute))
			return
		}
		// Keep the state's spelling of each name that Bitbucket matched
		// ignoring case, and null where the state had null and nothing is granted.
		value := types.MapNull(types.StringType)
		if len(current) > 0 || prior[p.attribute] != nil {
			named := map[string]attr.Value{}
			for name, perm := range current {
				if known, _, ok := prior[p.attribute].lookup(name); ok {
					name = known
				}
				named[name] = types.StringValue(perm)
			}
			value = types.MapValueMust(types.StringType, named)
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(p.attribute), value)...)
	}
}

func (r *exclusivePermissionsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	addr, state, diags := r.get(ctx, req.State.GetAttribute)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !requireClient(r.data, &resp.Diagnostics) || addr == nil {
		return
	}
	scope := r.scope.client(*addr)
	for _, p := range principals {
		for _, name := range sortedKeys(state[p.attribute]) {
			err := r.data.client.RevokePermission(ctx, scope, p.principal, name)
			if isGone(err) {
				continue // the principal or the scope is gone, and the grant with it
			}
			if err != nil {
				object := fmt.Sprintf("%s %q on %s", p.singular, name, r.scope.name(*addr))
				resp.Diagnostics.AddError("Could not revoke the permission of "+object, r.explain(err, object, p.attribute))
				return
			}
		}
	}
}

func (r *exclusivePermissionsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	attrs := r.scope.attributes()
	parts, ok := splitID(req.ID, len(attrs))
	if !ok || strings.Contains(parts[len(parts)-1], "/") {
		format, example := r.scope.idPlaceholders()
		resp.Diagnostics.AddError("Invalid import ID for "+req.ID, fmt.Sprintf(
			"Could not import bitbucket_%s_permissions: expected an import ID of the form %q, for example %q; got %q.",
			r.scope.word(), strings.Join(format, "/"), strings.Join(example, "/"), req.ID))
		return
	}
	for i, a := range attrs {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a), parts[i])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// apply makes the server's grants equal the plan: grants and changes first,
// then revocations, so that a failure part-way leaves more access, not less.
func (r *exclusivePermissionsResource) apply(ctx context.Context, get getAttributeFunc, set setAttributeFunc, diags *diag.Diagnostics) {
	addr, desired, d := r.get(ctx, get)
	diags.Append(d...)
	if diags.HasError() || !requireClient(r.data, diags) || addr == nil {
		return
	}
	scope := r.scope.client(*addr)
	var revocations []func() bool
	for _, p := range principals {
		current, err := r.current(ctx, *addr, p.principal)
		if err != nil {
			diags.AddError("Could not read the "+p.singular+" permissions of "+r.scope.name(*addr),
				r.explain(err, r.scope.name(*addr), p.attribute))
			return
		}
		// One PUT per permission carries every name that needs it.
		byPermission := map[string][]string{}
		for _, name := range sortedKeys(desired[p.attribute]) {
			want := desired[p.attribute][name]
			if _, have, ok := current.lookup(name); !ok || have != want {
				byPermission[want] = append(byPermission[want], name)
			}
		}
		for _, perm := range sortedKeys(byPermission) {
			names := byPermission[perm]
			tflog.Debug(ctx, "granting permissions", map[string]any{"scope": scope.String(), "permission": perm, p.attribute: names})
			for batch := range slices.Chunk(names, 50) {
				if err := r.data.client.SetPermission(ctx, scope, p.principal, perm, batch...); err != nil {
					object := fmt.Sprintf("%s %s on %s", p.attribute, quoteAll(batch), r.scope.name(*addr))
					diags.AddError(fmt.Sprintf("Could not grant %s to %s", perm, object), r.explain(err, object, p.attribute))
					return
				}
			}
		}
		for _, name := range sortedKeys(current) {
			if _, _, ok := desired[p.attribute].lookup(name); ok {
				continue
			}
			revocations = append(revocations, func() bool {
				tflog.Debug(ctx, "revoking permission", map[string]any{"scope": scope.String(), p.singular: name})
				err := r.data.client.RevokePermission(ctx, scope, p.principal, name)
				if err != nil && !isGone(err) {
					object := fmt.Sprintf("%s %q on %s", p.singular, name, r.scope.name(*addr))
					diags.AddError("Could not revoke the permission of "+object, r.explain(err, object, p.attribute))
					return false
				}
				return true
			})
		}
	}
	for _, revoke := range revocations {
		if !revoke() {
			return
		}
	}
	values := r.scope.values(*addr)
	for i, a := range r.scope.attributes() {
		diags.Append(set(ctx, path.Root(a), values[i])...)
	}
	diags.Append(set(ctx, path.Root("id"), strings.Join(values, "/"))...)
	for _, p := range principals {
		var v types.Map
		diags.Append(get(ctx, path.Root(p.attribute), &v)...)
		diags.Append(set(ctx, path.Root(p.attribute), v)...)
	}
}

// current lists the explicit grants of one principal type on the scope.
func (r *exclusivePermissionsResource) current(ctx context.Context, addr scopeAddress, p bitbucket.PrincipalType) (grantSet, error) {
	grants, err := r.data.client.ListPermissions(ctx, r.scope.client(addr), p, "")
	if err != nil {
		return nil, err
	}
	set := grantSet{}
	for _, g := range grants {
		set[g.Principal] = g.Permission
	}
	return set, nil
}

// get reads the scope and both maps from a plan or state; the address is nil
// while any of it is unknown. A null map reads as a nil grantSet.
func (r *exclusivePermissionsResource) get(ctx context.Context, get getAttributeFunc) (*scopeAddress, map[string]grantSet, diag.Diagnostics) {
	var diags diag.Diagnostics
	var values []string
	known := true
	for _, a := range r.scope.attributes() {
		var v types.String
		diags.Append(get(ctx, path.Root(a), &v)...)
		known = known && !v.IsUnknown()
		values = append(values, v.ValueString())
	}
	sets := map[string]grantSet{}
	for _, p := range principals {
		var m types.Map
		diags.Append(get(ctx, path.Root(p.attribute), &m)...)
		if m.IsUnknown() {
			known = false
			continue
		}
		if m.IsNull() {
			continue
		}
		var raw map[string]types.String
		diags.Append(m.ElementsAs(ctx, &raw, false)...)
		set := grantSet{}
		for name, perm := range raw {
			if perm.IsUnknown() {
				known = false
			}
			set[name] = perm.ValueString()
		}
		sets[p.attribute] = set
	}
	if diags.HasError() || !known {
		return nil, sets, diags
	}
	addr := r.scope.address(values)
	return &addr, sets, diags
}

func (r *exclusivePermissionsResource) explain(err error, object, attribute string) string {
	return explainError(err, errorContext{
		object:    object,
		attribute: attribute,
		needs:     r.scope.neededPermission() + " on the " + r.scope.noun(),
		usesToken: r.data.usesToken,
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// uniqueKeysIgnoringCase refuses a map naming one principal twice, such as
// "Alice" and "alice": Bitbucket would treat them as one user.
type uniqueKeysIgnoringCase struct{}

func (uniqueKeysIgnoringCase) Description(context.Context) string {
	return "names must be unique ignoring case"
}

func (v uniqueKeysIgnoringCase) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueKeysIgnoringCase) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	seen := map[string]string{}
	for _, name := range sortedKeys(req.ConfigValue.Elements()) {
		if first, dup := seen[strings.ToLower(name)]; dup {
			resp.Diagnostics.AddAttributeError(req.Path, "Principal listed twice",
				fmt.Sprintf("%q and %q name the same principal: Bitbucket compares names ignoring case. List it once.", first, name))
			continue
		}
		seen[strings.ToLower(name)] = name
	}
}
