package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/bitbucket-access/terraform-provider-bitbucket/internal/bitbucket"
)

var (
	_ datasource.DataSource              = (*repoEffectiveAccessDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*repoEffectiveAccessDataSource)(nil)
)

// repoEffectiveAccessDataSource answers "who can reach this repository, how
// far, and why", which Bitbucket's permission lists do not: they hold only
// the explicit grants of one scope (bitbucket-api.md §11).
type repoEffectiveAccessDataSource struct {
	dataSourceBase
}

// NewRepoEffectiveAccessDataSource is bitbucket_repo_effective_access.
func NewRepoEffectiveAccessDataSource() datasource.DataSource {
	return &repoEffectiveAccessDataSource{}
}

type repoEffectiveAccessModel struct {
	ProjectKey     types.String         `tfsdk:"project_key"`
	RepositorySlug types.String         `tfsdk:"repository_slug"`
	Public         types.Bool           `tfsdk:"public"`
	Users          []effectiveUserModel `tfsdk:"users"`
}

type effectiveUserModel struct {
	Name       string   `tfsdk:"name"`
	Permission string   `tfsdk:"permission"`
	Sources    []string `tfsdk:"sources"`
}

// Source labels: what kind of grant gave a user access. Each source in state
// reads "<label>: <permission granted>".
const (
	sourceDirect         = "direct"
	sourceGroup          = "group "         // + group name
	sourceProject        = "project"        //
	sourceProjectGroup   = "project group " // + group name
	sourceProjectDefault = "project default"
	sourceGlobal         = "global"
	sourceGlobalGroup    = "global group " // + group name
	// sourceGlobalSearch is used when the global grants cannot be listed
	// (HTTP access tokens, or no ADMIN): Bitbucket's user search then says
	// who holds the permission, but not whether directly or through a group.
	sourceGlobalSearch = "global (direct or group)"
)

// impliedRepoPermission maps a permission at any scope to what it gives on a
// repository (bitbucket-api.md §3: project permissions are inherited by the
// project's repositories; global ADMIN and SYS_ADMIN imply everything).
// LICENSED_USER and PROJECT_CREATE give nothing on an existing repository, so
// they are absent.
//
// assumption: REPO_CREATE sits between PROJECT_WRITE and PROJECT_ADMIN (§3);
// its holders administer the repositories they create themselves, which the
// API does not tell apart, so on a repository of the project it counts as
// REPO_WRITE, like PROJECT_WRITE.
var impliedRepoPermission = map[string]string{
	"REPO_READ":     "REPO_READ",
	"REPO_WRITE":    "REPO_WRITE",
	"REPO_ADMIN":    "REPO_ADMIN",
	"PROJECT_READ":  "REPO_READ",
	"PROJECT_WRITE": "REPO_WRITE",
	"REPO_CREATE":   "REPO_WRITE",
	"PROJECT_ADMIN": "REPO_ADMIN",
	"ADMIN":         "REPO_ADMIN",
	"SYS_ADMIN":     "REPO_ADMIN",
}

// defaultPermissionsHighestFirst are the levels a project default can have
// (bitbucket-api.md §4.2), asked highest first so the first "permitted" is
// the default whether the server answers "is exactly" or "implies" (§4.2
// leaves that unknown).
var defaultPermissionsHighestFirst = []string{"REPO_CREATE", "PROJECT_WRITE", "PROJECT_READ"}

func (d *repoEffectiveAccessDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_repo_effective_access"
}

func (d *repoEffectiveAccessDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every user who can reach one repository, the highest repository permission " +
			"each holds there, and why: a direct grant on the repository, a group's grant on it, a grant on " +
			"the project (to the user or to a group), the project's default permission, or a global permission " +
			"(to the user or to a group). Bitbucket's own permission lists show only the grants made at one " +
			"scope; this data source combines all of them.\n\n" +
			"Permissions are mapped to the repository as Bitbucket applies them: `PROJECT_READ` gives `REPO_READ`; " +
			"`PROJECT_WRITE` and `REPO_CREATE` give `REPO_WRITE` (`REPO_CREATE` holders also administer the " +
			"repositories they created themselves, which the API does not show, so that is not reflected); " +
			"`PROJECT_ADMIN` and the global `ADMIN` and `SYS_ADMIN` give `REPO_ADMIN`; `LICENSED_USER` and " +
			"`PROJECT_CREATE` give nothing. A user listed here still needs a license (`LICENSED_USER`) to log in.\n\n" +
			"**Cost.** The data source lists the repository's and the project's grants, asks for the project " +
			"default permission, lists the global grants, and lists the members of every group that gives " +
			"access (each group once). When the project has a default permission, every licensed user can reach " +
			"the repository, so it lists every licensed user: on a large instance that is a long list and many " +
			"requests.\n\n" +
			"**Credentials.** They need `PROJECT_ADMIN` on the project. Global grants are read from Bitbucket's " +
			"`/admin` endpoints, which need the global `ADMIN` permission and username and password; with an HTTP " +
			"access token (which those endpoints refuse), or without `ADMIN`, the data source asks Bitbucket's user " +
			"search who holds `ADMIN` or `SYS_ADMIN` instead, and the source then reads " +
			"`" + sourceGlobalSearch + ": SYS_ADMIN` because the search does not say whether the permission " +
			"was granted to the user or to one of their groups.",
		Attributes: map[string]schema.Attribute{
			"project_key": schema.StringAttribute{
				MarkdownDescription: "Key of the project, such as `PROJ`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"repository_slug": schema.StringAttribute{
				MarkdownDescription: "Slug of the repository, as in its URL (`…/repos/{slug}`), not its display name. " +
					"A missing repository is an error.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"public": schema.BoolAttribute{
				MarkdownDescription: "Whether the repository, or its whole project, is public. Anyone can read a " +
					"public repository without logging in (when the instance allows anonymous access), which no " +
					"entry in `users` shows.",
				Computed: true,
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "Every user who can reach the repository, sorted by name ignoring case.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name": schema.StringAttribute{
						MarkdownDescription: "Username, as Bitbucket stores it.",
						Computed:            true,
					},
					"permission": schema.StringAttribute{
						MarkdownDescription: "The highest permission the user holds on the repository, from all " +
							"sources: `REPO_READ`, `REPO_WRITE` or `REPO_ADMIN`.",
						Computed: true,
					},
					"sources": schema.ListAttribute{
						MarkdownDescription: "Why the user has access, sorted; one entry per grant, each " +
							"`<source>: <permission granted>`. The sources are `direct` (a grant to the user on " +
							"the repository), `group <name>` (to a group on the repository), `project`, " +
							"`project group <name>`, `project default`, `global`, `global group <name>`, and `" +
							sourceGlobalSearch + "` (see the description above). For example " +
							"`[\"direct: REPO_WRITE\", \"project group developers: PROJECT_READ\"]`.",
						ElementType: types.StringType,
						Computed:    true,
					},
				}},
			},
		},
	}
}

func (d *repoEffectiveAccessDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m repoEffectiveAccessModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !d.configured(&resp.Diagnostics) {
		return
	}
	key, slug := m.ProjectKey.ValueString(), m.RepositorySlug.ValueString()
	access, err := readEffectiveAccess(ctx, d.data.client, key, slug, d.data.usesToken)
	if err != nil {
		repo := "repository " + key + "/" + slug
		resp.Diagnostics.AddError("Could not read the effective access to "+repo+": could not "+err.action,
			explainError(err.err, errorContext{
				object:    repo,
				attribute: "repository_slug",
				needs:     err.needs,
				admin:     err.admin,
				usesToken: d.data.usesToken,
			}))
		return
	}
	m.Public = types.BoolValue(access.public)
	m.Users = access.users()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// effectiveAccess is what readEffectiveAccess found.
type effectiveAccess struct {
	public bool
	byName map[string]*effectiveUser // by lower-case username (§16: names ignore case)
}

type effectiveUser struct {
	name       string
	permission string // highest repository permission so far
	sources    []string
}

// add records that user holds permission through source. Permissions that
// give nothing on a repository are ignored.
func (a *effectiveAccess) add(user, permission, source string) {
	implied, ok := impliedRepoPermission[permission]
	if !ok {
		return
	}
	key := strings.ToLower(user)
	u := a.byName[key]
	if u == nil {
		u = &effectiveUser{name: user}
		a.byName[key] = u
	}
	if slices.Index(repositoryPermissions, implied) > slices.Index(repositoryPermissions, u.permission) {
		u.permission = implied
	}
	if reason := source + ": " + permission; !slices.Contains(u.sources, reason) {
		u.sources = append(u.sources, reason)
	}
}

// users returns the state's users: sorted, with sorted sources, never nil.
func (a *effectiveAccess) users() []effectiveUserModel {
	out := make([]effectiveUserModel, 0, len(a.byName))
	for _, u := range a.byName {
		sources := slices.Clone(u.sources)
		slices.Sort(sources)
		out = append(out, effectiveUserModel{Name: u.name, Permission: u.permission, Sources: sources})
	}
	slices.SortFunc(out, func(x, y effectiveUserModel) int { return compareNames(x.Name, y.Name) })
	return out
}

// accessError says which step failed, for the diagnostic.
type accessError struct {
	action string // what could not be done: "list the project's group permissions"
	needs  string // what the credentials need for it
	admin  bool   // the step uses an /admin endpoint
	err    error
}

// accessReader gathers one repository's effective access. Each scope is
// listed once and each group's members are listed once, however many grants
// name the group.
type accessReader struct {
	client    *bitbucket.Client
	key       string // the project's
	usesToken bool
	access    *effectiveAccess
	members   map[string][]bitbucket.User // by lower-case group name
}

// readEffectiveAccess reads who can reach repository key/slug, and why.
func readEffectiveAccess(ctx context.Context, client *bitbucket.Client, key, slug string, usesToken bool) (*effectiveAccess, *accessError) {
	r := &accessReader{
		client: client, key: key, usesToken: usesToken,
		access:  &effectiveAccess{byName: map[string]*effectiveUser{}},
		members: map[string][]bitbucket.User{},
	}
	repoName := "repository " + key + "/" + slug
	repoNeeds := "REPO_ADMIN on " + repoName
	projectNeeds := "PROJECT_ADMIN on project " + key

	// First the repository itself, so that a wrong key or slug is reported
	// as such before anything else is asked.
	repo, err := client.GetRepository(ctx, key, slug)
	if err != nil {
		return nil, &accessError{action: "read the repository", needs: "REPO_READ on " + repoName, err: err}
	}
	r.access.public = repo.Public || repo.Project.Public

	if err := r.explicit(ctx, bitbucket.RepositoryScope(key, slug), "the repository's", repoNeeds, sourceDirect, sourceGroup); err != nil {
		return nil, err
	}
	if err := r.explicit(ctx, bitbucket.ProjectScope(key), "the project's", projectNeeds, sourceProject, sourceProjectGroup); err != nil {
		return nil, err
	}
	if err := r.projectDefault(ctx, projectNeeds); err != nil {
		return nil, err
	}
	if err := r.global(ctx); err != nil {
		return nil, err
	}
	return r.access, nil
}

// explicit adds the grants made at scope, to users and to groups' members.
func (r *accessReader) explicit(ctx context.Context, scope bitbucket.Scope, whose, needs, userSource, groupSource string) *accessError {
	tflog.Debug(ctx, "listing grants for effective access", map[string]any{"scope": scope.String()})
	users, err := r.client.ListPermissions(ctx, scope, bitbucket.PrincipalUser, "")
	if err != nil {
		return &accessError{action: "list " + whose + " user permissions", needs: needs, admin: scope.IsGlobal(), err: err}
	}
	for _, g := range users {
		r.access.add(g.Principal, g.Permission, userSource)
	}
	groups, err := r.client.ListPermissions(ctx, scope, bitbucket.PrincipalGroup, "")
	if err != nil {
		return &accessError{action: "list " + whose + " group permissions", needs: needs, admin: scope.IsGlobal(), err: err}
	}
	return r.addGroups(ctx, groups, groupSource)
}

// addGroups adds the members of every group whose grant gives access. Groups
// that give nothing on a repository (stash-users with LICENSED_USER, which
// holds everyone) are not expanded.
func (r *accessReader) addGroups(ctx context.Context, groups []bitbucket.PermissionGrant, source string) *accessError {
	for _, g := range groups {
		if _, gives := impliedRepoPermission[g.Permission]; !gives {
			continue
		}
		members, err := r.groupMembers(ctx, g.Principal)
		if err != nil {
			return err
		}
		for _, u := range members {
			r.access.add(u.Name, g.Permission, source+g.Principal)
		}
	}
	return nil
}

func (r *accessReader) groupMembers(ctx context.Context, group string) ([]bitbucket.User, *accessError) {
	key := strings.ToLower(group)
	if members, ok := r.members[key]; ok {
		return members, nil
	}
	// GET /users?group= rather than /admin/groups/more-members, which refuses
	// HTTP access tokens (bitbucket-api.md §4.3, §8).
	members, err := r.client.ListUsers(ctx, bitbucket.UserQuery{Group: group})
	if err != nil {
		return nil, &accessError{action: fmt.Sprintf("list the members of group %q", group), needs: "a Bitbucket license (LICENSED_USER)", err: err}
	}
	r.members[key] = members
	return members, nil
}

// projectDefault adds every licensed user when the project has a default
// permission: it applies to everyone who can log in (bitbucket-api.md §4.2).
func (r *accessReader) projectDefault(ctx context.Context, needs string) *accessError {
	var found string
	for _, p := range defaultPermissionsHighestFirst {
		permitted, err := r.client.DefaultPermission(ctx, r.key, p)
		if err != nil && p == "REPO_CREATE" && bitbucket.IsBadRequest(err) {
			// Bitbucket before 8.2 has no REPO_CREATE (§3) and refuses it.
			tflog.Debug(ctx, "server does not know the REPO_CREATE default permission", map[string]any{"reason": serverSaid(err)})
			continue
		}
		if err != nil {
			return &accessError{action: "read the project's default permission " + p, needs: needs, err: err}
		}
		if permitted {
			found = p
			break
		}
	}
	if found == "" {
		return nil
	}
	tflog.Debug(ctx, "project has a default permission: listing every licensed user", map[string]any{
		"project_key": r.key, "default_permission": found,
	})
	users, err := r.client.ListUsers(ctx, bitbucket.UserQuery{Permission: "LICENSED_USER"})
	if err != nil {
		return &accessError{action: "list the licensed users, who all hold the project's default permission " + found,
			needs: "a Bitbucket license (LICENSED_USER)", err: err}
	}
	for _, u := range users {
		r.access.add(u.Name, found, sourceProjectDefault)
	}
	return nil
}

// global adds the global ADMIN and SYS_ADMIN holders. The global grants are
// listed where the credentials allow (username and password of an ADMIN);
// otherwise user search tells who holds the permissions, though not how.
func (r *accessReader) global(ctx context.Context) *accessError {
	if !r.usesToken {
		err := r.explicit(ctx, bitbucket.GlobalScope(), "the global", "the global ADMIN permission", sourceGlobal, sourceGlobalGroup)
		if err == nil || !bitbucket.IsUnauthorized(err.err) {
			return err
		}
		tflog.Info(ctx, "global permissions cannot be listed with these credentials; asking user search who holds ADMIN and SYS_ADMIN",
			map[string]any{"reason": serverSaid(err.err)})
	}
	seen := map[string]bool{}
	// SYS_ADMIN first: its holders also match ADMIN, and the higher one is
	// what they hold.
	for _, p := range []string{"SYS_ADMIN", "ADMIN"} {
		users, err := r.client.ListUsers(ctx, bitbucket.UserQuery{Permission: p})
		if err != nil {
			return &accessError{action: "search for the users who hold the global permission " + p,
				needs: "a Bitbucket license (LICENSED_USER)", err: err}
		}
		for _, u := range users {
			if key := strings.ToLower(u.Name); !seen[key] {
				seen[key] = true
				r.access.add(u.Name, p, sourceGlobalSearch)
			}
		}
	}
	return nil
}
