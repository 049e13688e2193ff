package bitbucket

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// ApplicationProperties is the §1 version probe.
type ApplicationProperties struct {
	Version, BuildNumber, BuildDate, DisplayName string
}

// ApplicationProperties fetches GET /application-properties. It answers
// anonymous requests too, so it checks reachability, not credentials.
func (c *Client) ApplicationProperties(ctx context.Context) (*ApplicationProperties, error) {
	path, err := apiPath("application-properties")
	if err != nil {
		return nil, err
	}
	// The recording has strings (buildDate "1616539597394"); accept numbers
	// as well rather than fail a probe on a type change.
	var out struct {
		Version     looseString `json:"version"`
		BuildNumber looseString `json:"buildNumber"`
		BuildDate   looseString `json:"buildDate"`
		DisplayName looseString `json:"displayName"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: path, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return &ApplicationProperties{
		Version:     string(out.Version),
		BuildNumber: string(out.BuildNumber),
		BuildDate:   string(out.BuildDate),
		DisplayName: string(out.DisplayName),
	}, nil
}

// looseString decodes a JSON string, or the literal text of a number.
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = looseString(n.String())
	return nil
}
