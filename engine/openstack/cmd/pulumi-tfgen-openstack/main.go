// Command pulumi-tfgen-openstack writes the provider's Pulumi schema and the
// bridge metadata (schema.json, bridge-metadata.json) for the plugin build.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	openstack "govcloud.local/engine/openstack"
)

func main() {
	tfgen.Main("openstack", openstack.Version, openstack.Provider(nil))
}
