// Command pulumi-resource-openstack is the provider plugin the Pulumi engine
// loads for pulumi-openstack resources.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	openstack "govcloud.local/engine/openstack"
)

// Both files are written by pulumi-tfgen-openstack during scripts/build-engine.
var (
	//go:embed schema.json
	schema []byte
	//go:embed bridge-metadata.json
	metadata []byte
)

func main() {
	tfbridge.Main("openstack", openstack.Version, openstack.Provider(metadata), schema)
}
