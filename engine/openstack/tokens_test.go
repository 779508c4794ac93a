package openstack

import "testing"

func TestResolveMatchesSDKNames(t *testing.T) {
	idx := newSDKIndex(parseSDKTokens(sdkTokens))
	cases := []struct {
		tf       string
		function bool
		want     string
	}{
		{"openstack_compute_instance_v2", false, "openstack:compute/instance:Instance"},
		{"openstack_networking_secgroup_rule_v2", false, "openstack:networking/secGroupRule:SecGroupRule"},
		{"openstack_blockstorage_volume_v3", false, "openstack:blockstorage/volume:Volume"},
		{"openstack_blockstorage_qos_v3", false, "openstack:blockstorage/qosV3:QosV3"},
		{"openstack_db_instance_v1", false, "openstack:database/instance:Instance"},
		{"openstack_lb_loadbalancer_v2", false, "openstack:loadbalancer/loadBalancer:LoadBalancer"},
		{"openstack_compute_flavor_v2", true, "openstack:compute/getFlavor:getFlavor"},
		{"openstack_identity_project_v3", false, "openstack:identity/project:Project"},
		// Not in the SDK: the bridge's standard shape.
		{"openstack_compute_made_up_v9", false, "openstack:compute/madeUpV9:MadeUpV9"},
	}
	for _, c := range cases {
		if got := idx.resolve(c.tf, c.function); got != c.want {
			t.Errorf("resolve(%q) = %q, want %q", c.tf, got, c.want)
		}
	}
}
