package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ datasource.DataSource              = (*userDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userDataSource)(nil)
)

// userDataSource looks up one user by username.
type userDataSource struct {
	dataSourceBase
}

// NewUserDataSource is bitbucket_user.
func NewUserDataSource() datasource.DataSource { return &userDataSource{} }

type userDataSourceModel struct {
	Name         types.String `tfsdk:"name"`
	ID           types.String `tfsdk:"id"`
	Slug         types.String `tfsdk:"slug"`
	DisplayName  types.String `tfsdk:"display_name"`
	EmailAddress types.String `tfsdk:"email_address"`
	Active       types.Bool   `tfsdk:"active"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one Bitbucket user by username, for example to check that a user exists " +
			"before granting a permission, or to find the slug that Bitbucket's URLs use.\n\n" +
			"An unknown user is an error. Any logged-in account can read users, and HTTP access tokens work.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Username of the user (the name they log in with), such as `jane.doe` or " +
					"`jane@example.com`. It must match exactly, ignoring case as Bitbucket does; display names " +
					"and e-mail addresses are not matched.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "Bitbucket's numeric ID of the user, as a string.",
				Computed:            true,
			},
			"slug": schema.StringAttribute{
				MarkdownDescription: "The user's slug, which Bitbucket uses in URLs such as `/users/{slug}`. It may " +
					"differ from the username: `jane@example.com` has the slug `jane_example.com`.",
				Computed: true,
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "The user's display name, such as `Jane Doe`.",
				Computed:            true,
			},
			"email_address": schema.StringAttribute{
				MarkdownDescription: "The user's e-mail address; empty when Bitbucket has none for the user.",
				Computed:            true,
			},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the user is active. Deactivated users (for example disabled in the " +
					"user directory) cannot log in, but keep their permissions.",
				Computed: true,
			},
		},
	}
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !d.configured(&resp.Diagnostics) {
		return
	}
	name := m.Name.ValueString()
	tflog.Debug(ctx, "looking up user", map[string]any{"user": name})
	u, err := d.data.client.FindUser(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Could not look up user %q", name), explainError(err, errorContext{
			object:    fmt.Sprintf("user %q", name),
			attribute: "name",
			needs:     "a Bitbucket license (LICENSED_USER)",
			usesToken: d.data.usesToken,
		}))
		return
	}
	if u == nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), fmt.Sprintf("No Bitbucket user named %q", name),
			fmt.Sprintf("Bitbucket has no user whose username is %q (compared ignoring case). name takes the "+
				"username people log in with, not their display name, e-mail address or slug; users must exist in "+
				"Bitbucket or its user directory.", name))
		return
	}
	// name keeps the configuration's spelling: Terraform requires a data
	// source to return its configured arguments unchanged.
	m.ID = types.StringValue(strconv.Itoa(u.ID))
	m.Slug = types.StringValue(u.Slug)
	m.DisplayName = types.StringValue(u.DisplayName)
	m.EmailAddress = types.StringValue(u.EmailAddress)
	m.Active = types.BoolValue(u.Active)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
