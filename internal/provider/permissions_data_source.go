package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

var (
	_ datasource.DataSource              = (*permissionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*permissionsDataSource)(nil)
)

// permissionsDataSource lists the explicit grants at one scope. The three
// permission-list data sources are this one type, each described by its
// scope; the scope attributes differ, so they are read by path.
type permissionsDataSource struct {
	dataSourceBase
	scope scopeLevel
}

// NewRepoPermissionsDataSource is bitbucket_repo_permissions.
func NewRepoPermissionsDataSource() datasource.DataSource {
	return &permissionsDataSource{scope: scopeRepository}
}

// NewProjectPermissionsDataSource is bitbucket_project_permissions.
func NewProjectPermissionsDataSource() datasource.DataSource {
	return &permissionsDataSource{scope: scopeProject}
}

// NewGlobalPermissionsDataSource is bitbucket_global_permissions.
func NewGlobalPermissionsDataSource() datasource.DataSource {
	return &permissionsDataSource{scope: scopeGlobal}
}

// permissionEntry is one element of the users and groups lists.
type permissionEntry struct {
	Name       string `tfsdk:"name"`
	Permission string `tfsdk:"permission"`
}

func (d *permissionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.scope.word() + "_permissions"
}

func (d *permissionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	s := d.scope
	attrs := map[string]schema.Attribute{
		"filter": schema.StringAttribute{
			MarkdownDescription: "List only the users and groups whose name contains this text. Bitbucket matches it as " +
				"a case-insensitive substring of the username or group name (not of display names or e-mail " +
				"addresses), so `bob` also lists `bobby` and `Bob.Smith`. Omit it to list every grant.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"users":  permissionEntries("user", "Username, as Bitbucket stores it", s),
		"groups": permissionEntries("group", "Group name", s),
	}
	if s >= scopeProject {
		attrs["project_key"] = schema.StringAttribute{
			MarkdownDescription: "Key of the project, such as `PROJ`. A missing project is an error.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	if s == scopeRepository {
		attrs["repository_slug"] = schema.StringAttribute{
			MarkdownDescription: "Slug of the repository, as in its URL (`…/repos/{slug}`), not its display name. " +
				"A missing repository is an error.",
			Required:   true,
			Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists the users and groups that hold an explicit permission %s, "+
			"with the permission each holds, sorted by name.\n\n"+
			"%s\n\n"+
			"The credentials need %s.",
			listScopeSentence(s), listedSentence(s), readNeededSentence(s)),
		Attributes: attrs,
	}
}

func permissionEntries(principal, nameDescription string, s scopeLevel) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: fmt.Sprintf("Every %s with an explicit permission at this scope (that matches `filter`), "+
			"sorted by name ignoring case.", principal),
		Computed: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: nameDescription + ".",
				Computed:            true,
			},
			"permission": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The %s's highest explicit permission here: one of %s.",
					principal, codeList(s.permissions())),
				Computed: true,
			},
		}},
	}
}

func listScopeSentence(s scopeLevel) string {
	switch s {
	case scopeRepository:
		return "on one repository"
	case scopeProject:
		return "on one project (which applies to every repository in it)"
	default:
		return "on the whole Bitbucket instance (global permissions)"
	}
}

// listedSentence says what the list leaves out, and where to find it.
func listedSentence(s scopeLevel) string {
	if s == scopeGlobal {
		return "Only explicit global grants are listed; a group's members are not expanded " +
			"(see `bitbucket_group`). Bitbucket accepts only username and password on its `/admin` endpoints, so " +
			"the provider must be configured with `username` and `password`, not `token`."
	}
	inherited := "from global permissions or from the project's default permission"
	if s == scopeRepository {
		inherited = "from the project, " + inherited
	}
	return "Only grants made on this " + s.noun() + " itself are listed, as Bitbucket reports them: a group's " +
		"members are not expanded into `users`, and access " + inherited + " is not listed. " +
		"`bitbucket_repo_effective_access` shows who can actually reach a repository, and why."
}

// readNeededSentence is what the credentials must hold to list grants at s.
func readNeededSentence(s scopeLevel) string {
	if s == scopeGlobal {
		return "the global `ADMIN` permission"
	}
	return "`" + s.neededPermission() + "` on the " + s.noun()
}

// readNeeds is the same for error messages about one scope.
func readNeeds(s scopeLevel, a scopeAddress) string {
	if s == scopeGlobal {
		return "the global ADMIN permission"
	}
	return s.neededPermission() + " on " + s.name(a)
}

// object names the scope as the subject of an error message.
func permissionsObject(s scopeLevel, a scopeAddress) string {
	if s == scopeGlobal {
		return "the Bitbucket instance"
	}
	return s.name(a)
}

func (d *permissionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	s := d.scope
	var values []string
	for _, a := range s.attributes() {
		var v types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(a), &v)...)
		values = append(values, v.ValueString())
	}
	var filter types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("filter"), &filter)...)
	if resp.Diagnostics.HasError() || !d.configured(&resp.Diagnostics) {
		return
	}
	addr := s.address(values)

	for _, list := range []struct {
		attribute, noun string
		principal       bitbucket.PrincipalType
	}{{"users", "user", bitbucket.PrincipalUser}, {"groups", "group", bitbucket.PrincipalGroup}} {
		attribute, principal := list.attribute, list.principal
		tflog.Debug(ctx, "listing permissions", map[string]any{
			"scope": s.name(addr), "principal": string(principal), "filter": filter.ValueString(),
		})
		grants, err := d.data.client.ListPermissions(ctx, s.client(addr), principal, filter.ValueString())
		if err != nil {
			// A data source has no state to drop: a missing project or
			// repository is an error the configuration must fix.
			resp.Diagnostics.AddError(
				fmt.Sprintf("Could not list the %s permissions of %s", list.noun, permissionsObject(s, addr)),
				explainError(err, errorContext{
					object:    permissionsObject(s, addr),
					attribute: attribute,
					needs:     readNeeds(s, addr),
					admin:     s == scopeGlobal,
					usesToken: d.data.usesToken,
				}))
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attribute), permissionEntriesOf(grants))...)
	}
}

// permissionEntriesOf sorts grants by name, never returning nil: no grant is
// an empty list, not null.
func permissionEntriesOf(grants []bitbucket.PermissionGrant) []permissionEntry {
	out := make([]permissionEntry, 0, len(grants))
	for _, g := range grants {
		out = append(out, permissionEntry{Name: g.Principal, Permission: g.Permission})
	}
	slices.SortFunc(out, func(a, b permissionEntry) int { return compareNames(a.Name, b.Name) })
	return out
}
