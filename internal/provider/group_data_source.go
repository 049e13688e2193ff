package provider

import (
	"context"
	"fmt"

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
	_ datasource.DataSource              = (*groupDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*groupDataSource)(nil)
)

// groupDataSource tells whether a group exists and who its members are.
type groupDataSource struct {
	dataSourceBase
}

// NewGroupDataSource is bitbucket_group.
func NewGroupDataSource() datasource.DataSource { return &groupDataSource{} }

type groupDataSourceModel struct {
	Name    types.String `tfsdk:"name"`
	Exists  types.Bool   `tfsdk:"exists"`
	Members []string     `tfsdk:"members"`
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Tells whether a Bitbucket group exists, and lists its members.\n\n" +
			"A missing group is not an error: `exists` is then `false` and `members` is empty, so a configuration " +
			"can grant a permission to a group only when the group exists. Any logged-in account can read groups " +
			"and their members, and HTTP access tokens work.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the group, such as `developers`. It must match exactly, ignoring case " +
					"as Bitbucket does.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"exists": schema.BoolAttribute{
				MarkdownDescription: "Whether Bitbucket has a group of this name.",
				Computed:            true,
			},
			"members": schema.ListAttribute{
				MarkdownDescription: "Usernames of the group's members, sorted ignoring case; empty when the group " +
					"does not exist. They come from Bitbucket's user search, which is what any logged-in account " +
					"may read.",
				ElementType: types.StringType,
				Computed:    true,
			},
		},
	}
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() || !d.configured(&resp.Diagnostics) {
		return
	}
	m := groupDataSourceModel{Name: name, Exists: types.BoolValue(false), Members: []string{}}
	explain := func(err error) string {
		return explainError(err, errorContext{
			object:    fmt.Sprintf("group %q", name.ValueString()),
			attribute: "name",
			needs:     "a Bitbucket license (LICENSED_USER)",
			usesToken: d.data.usesToken,
		})
	}

	tflog.Debug(ctx, "looking up group", map[string]any{"group": name.ValueString()})
	stored, err := d.data.client.FindGroup(ctx, name.ValueString())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not look up group %q", name.ValueString()), explain(err))
		return
	}
	if stored != "" {
		// GET /users?group= rather than /admin/groups/more-members: /admin
		// endpoints refuse HTTP access tokens (bitbucket-api.md §4.3, §8).
		users, err := d.data.client.ListUsers(ctx, bitbucket.UserQuery{Group: stored})
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Could not list the members of group %q", stored), explain(err))
			return
		}
		names := make([]string, 0, len(users))
		for _, u := range users {
			names = append(names, u.Name)
		}
		m.Exists = types.BoolValue(true)
		m.Members = sortedNames(names)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
