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
	var resources, functions []string
	for _, c := range cases {
		if c.function {
			functions = append(functions, c.tf)
		} else {
			resources = append(resources, c.tf)
		}
	}
	got := idx.assignTokens(resources, resourceKind)
	for tf, tok := range idx.assignTokens(functions, functionKind) {
		got[tf] = tok
	}
	for _, c := range cases {
		if got[c.tf] != c.want {
			t.Errorf("token of %q = %q, want %q", c.tf, got[c.tf], c.want)
		}
	}
}

func TestCollidingNamesStayUnique(t *testing.T) {
	idx := newSDKIndex(parseSDKTokens(sdkTokens))
	got := idx.assignTokens([]string{"openstack_lb_flavor_v2", "openstack_loadbalancer_flavor_v2"}, functionKind)
	if got["openstack_loadbalancer_flavor_v2"] != "openstack:loadbalancer/getFlavorV2:getFlavorV2" {
		t.Errorf("the unabbreviated name should keep the SDK token, got %v", got)
	}
	if got["openstack_lb_flavor_v2"] == got["openstack_loadbalancer_flavor_v2"] {
		t.Errorf("two names share a token: %v", got)
	}
}
