// Command pulumi-resource-openstack is the provider plugin the Pulumi engine
// loads for pulumi-openstack resources.
package main

import (
	_ "embed"
	"fmt"
	"os"
	"time"

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
	// The engine that started this plugin may die without a word (SIGKILL, a lost CI
	// runner); the bridge would only notice at its next health check, minutes later.
	// Its parent is the engine: once that is gone, so is the plugin.
	go watchParent(time.Second)
	tfbridge.Main("openstack", openstack.Version, openstack.Provider(metadata), schema)
}

// watchParent exits once this process's parent has exited (it was re-parented).
func watchParent(interval time.Duration) {
	parent := os.Getppid()
	for range time.Tick(interval) {
		if os.Getppid() != parent {
			fmt.Fprintln(os.Stderr, "pulumi-resource-openstack: the engine is gone; exiting")
			os.Exit(1)
		}
	}
}
