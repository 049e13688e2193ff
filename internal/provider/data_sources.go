package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// What every data source shares: taking the client out of ProviderData, and
// a name order that keeps list attributes stable between reads.

// dataSourceBase is embedded by every data source for its Configure.
type dataSourceBase struct {
	data *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

// configured reports a missing client as an error: a data source is read at plan time, and
// there is no client while the provider configuration is still unknown.
func (d *dataSourceBase) configured(diags *diag.Diagnostics) bool {
	return requireClient(d.data, diags)
}

// compareNames orders names ignoring case, as Bitbucket compares them
// (bitbucket-api.md §16), and by their exact spelling after that, so the
// order never depends on the order Bitbucket answered in.
func compareNames(a, b string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}

// sortedNames returns names sorted by compareNames, never nil, so that an
// empty result is an empty list in state rather than null.
func sortedNames(names []string) []string {
	out := append([]string{}, names...)
	slices.SortFunc(out, compareNames)
	return out
}
