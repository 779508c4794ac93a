// Package openstack describes govcloud's Pulumi OpenStack provider: the
// Terraform OpenStack provider seen through pulumi-terraform-bridge, with
// resource and function tokens that match the pulumi-openstack Python SDK, so
// that SDK drives this plugin unchanged.
package openstack

import (
	_ "embed"

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
	p := shimv2.NewProvider(tfopenstack.Provider())
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
