// Package openstack describes govcloud's Pulumi OpenStack provider: the
// Terraform OpenStack provider seen through pulumi-terraform-bridge, with
// resource and function tokens that match the pulumi-openstack Python SDK, so
// that SDK drives this plugin unchanged.
package openstack

import (
	"context"
	_ "embed"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	tfopenstack "github.com/terraform-provider-openstack/terraform-provider-openstack/v3/openstack"
)

// Version is the plugin version, set at build time (-ldflags -X); it must equal
// the version of the pulumi-openstack SDK that the program imports.
var Version = "0.0.0-dev"

//go:embed sdk-tokens.txt
var sdkTokens string

// Provider returns the bridge's description of the provider. metadata is the
// bridge-metadata.json written by tfgen (empty while tfgen itself runs).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	tf := tfopenstack.Provider()
	limitRequests(tf)
	p := shimv2.NewProvider(tf)
	info := tfbridge.ProviderInfo{
		P:                p,
		Name:             "openstack",
		DisplayName:      "OpenStack (govcloud build)",
		Publisher:        "govcloud",
		Description:      "OpenStack resources for govcloud, bridged from terraform-provider-openstack.",
		License:          "Apache-2.0",
		GitHubOrg:        "terraform-provider-openstack",
		Repository:       "https://github.com/terraform-provider-openstack/terraform-provider-openstack",
		Version:          Version,
		MetadataInfo:     tfbridge.NewProviderMetadata(metadata),
		UpstreamRepoPath: ".",
	}
	idx := newSDKIndex(parseSDKTokens(sdkTokens))
	info.MustComputeTokens(tokenStrategy(
		idx.assignTokens(names(p.ResourcesMap()), resourceKind),
		idx.assignTokens(names(p.DataSourcesMap()), functionKind)))
	return info
}

// names lists the Terraform type names of a provider's resources or data sources.
func names(m shim.ResourceMap) []string {
	var out []string
	m.Range(func(key string, _ shim.Resource) bool {
		out = append(out, key)
		return true
	})
	return out
}

// TimeoutVariable names the environment variable (set by govcloud from its
// GOVCLOUD_CLOUD_TIMEOUT setting) with the seconds one request to the cloud may
// take, connecting and reading the answer included.
const TimeoutVariable = "GOVCLOUD_CLOUD_TIMEOUT"

// defaultTimeout applies when govcloud did not say (a hand-run pulumi).
const defaultTimeout = 60 * time.Second

// limitRequests gives the Terraform provider's HTTP client a timeout. Upstream's
// client (gophercloud, built in the provider's configure step) has none, so an API
// that accepts connections and never answers hangs a run for as long as one waits;
// no provider option or environment variable reaches it. Authentication is delayed
// to the first request (the provider's default), so every request goes through
// this client, the token's included.
func limitRequests(p *schema.Provider) {
	configure := p.ConfigureContextFunc
	p.ConfigureContextFunc = func(ctx context.Context, d *schema.ResourceData) (any, diag.Diagnostics) {
		meta, diags := configure(ctx, d)
		if config, ok := meta.(*tfopenstack.Config); ok && config.OsClient != nil {
			config.OsClient.HTTPClient.Timeout = requestTimeout()
		}
		return meta, diags
	}
}

func requestTimeout() time.Duration {
	if seconds, err := strconv.ParseFloat(os.Getenv(TimeoutVariable), 64); err == nil && seconds > 0 {
		return time.Duration(seconds * float64(time.Second))
	}
	return defaultTimeout
}
