package openstack

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// The Terraform provider names modules more tersely than the SDK does.
var moduleOfPrefix = map[string]string{
	"db": "database",
	"lb": "loadbalancer",
	"fw": "firewall",
}

// Names upstream chose by hand (some misspelt, kept for SDK compatibility) that
// no rule derives. The deprecated duplicate aliases in "index" are not served.
var sdkOverrides = map[string]string{
	"openstack_blockstorage_quotaset_v3":                    "openstack:blockstorage/quoteSetV3:QuoteSetV3",
	"openstack_objectstorage_object_v1":                     "openstack:objectstorage/containerObject:ContainerObject",
	"data:openstack_dns_zone_v2":                            "openstack:dns/getDnsZone:getDnsZone",
	"data:openstack_lb_flavor_v2":                           "openstack:loadbalancer/getLbFlavorDeprecated:getLbFlavorDeprecated",
	"data:openstack_sharedfilesystem_availability_zones_v2": "openstack:sharedfilesystem/getAvailbilityZones:getAvailbilityZones",
}

var versionSuffix = regexp.MustCompile(`v[0-9]+$`)

// sdkToken is one token of the Python SDK, e.g. openstack:compute/instance:Instance.
type sdkToken struct {
	module string // "compute"
	name   string // "Instance" (resources) or "getFlavor" (functions)
	token  string
}

func parseSDKTokens(text string) []sdkToken {
	var out []sdkToken
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ":")
		if len(parts) != 3 {
			panic(fmt.Sprintf("sdk-tokens.txt: malformed token %q", line))
		}
		out = append(out, sdkToken{module: strings.Split(parts[1], "/")[0], name: parts[2], token: line})
	}
	return out
}

// sdkIndex finds a token by module and a case-insensitive name, so that
// openstack_networking_secgroup_v2 finds networking/secGroup:SecGroup.
type sdkIndex map[string]string

func newSDKIndex(all []sdkToken) sdkIndex {
	idx := sdkIndex{}
	for _, t := range all {
		idx[t.module+"/"+strings.ToLower(t.name)] = t.token
	}
	return idx
}

// lookup prefers the name with its Terraform version suffix (QosV3) and falls
// back to the name without it (Instance), as upstream names both ways.
func (idx sdkIndex) lookup(module, flatName string) (string, bool) {
	for _, candidate := range []string{flatName, versionSuffix.ReplaceAllString(flatName, "")} {
		if tok, ok := idx[module+"/"+candidate]; ok {
			return tok, true
		}
	}
	return "", false
}

// splitTF turns openstack_compute_instance_v2 into ("compute", "instance_v2"),
// and says whether the module came from an abbreviation (lb -> loadbalancer).
func splitTF(tfToken string) (module, rest string, aliased bool) {
	trimmed := strings.TrimPrefix(tfToken, "openstack_")
	prefix, rest, _ := strings.Cut(trimmed, "_")
	if m, ok := moduleOfPrefix[prefix]; ok {
		return m, rest, true
	}
	return prefix, rest, false
}

func flat(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }

// camel turns instance_v2 into instanceV2.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// kind tells resources from functions (data sources), whose names start with "get".
type kind bool

const (
	resourceKind kind = false
	functionKind kind = true
)

func (k kind) prefix() string {
	if k == functionKind {
		return "get"
	}
	return ""
}

// assignTokens maps every Terraform name of one kind to a unique Pulumi token.
// The SDK's own token wins when it can be found; a name whose module prefix is
// the SDK module itself (openstack_loadbalancer_*) is served before an alias
// (openstack_lb_*), so the newer spelling keeps the SDK name. What is left gets
// the bridge's standard shape, or the index module with the whole name if
// that would collide.
func (idx sdkIndex) assignTokens(tfNames []string, k kind) map[string]string {
	sorted := append([]string(nil), tfNames...)
	sort.Strings(sorted)
	assigned := map[string]string{}
	used := map[string]bool{}
	take := func(tf, tok string) bool {
		if _, done := assigned[tf]; done || tok == "" || used[tok] {
			return false
		}
		assigned[tf], used[tok] = tok, true
		return true
	}
	for _, tf := range sorted {
		key := tf
		if k == functionKind {
			key = "data:" + tf
		}
		take(tf, sdkOverrides[key])
	}
	for _, aliased := range []bool{false, true} {
		for _, tf := range sorted {
			module, rest, isAlias := splitTF(tf)
			if isAlias == aliased {
				tok, _ := idx.lookup(module, k.prefix()+flat(rest))
				take(tf, tok)
			}
		}
	}
	for _, tf := range sorted {
		tok, _ := idx.lookup("index", k.prefix()+flat(strings.TrimPrefix(tf, "openstack_")))
		take(tf, tok)
	}
	for _, tf := range sorted {
		module, rest, _ := splitTF(tf)
		if !take(tf, standardToken(module, rest, k)) {
			take(tf, standardToken("index", strings.TrimPrefix(tf, "openstack_"), k))
		}
	}
	return assigned
}

func standardToken(module, tfName string, k kind) string {
	name := camel(tfName)
	if k == functionKind {
		name = "get" + strings.ToUpper(name[:1]) + name[1:]
		return fmt.Sprintf("openstack:%s/%s:%s", module, name, name)
	}
	return fmt.Sprintf("openstack:%s/%s:%s", module, name, strings.ToUpper(name[:1])+name[1:])
}

// tokenStrategy hands the bridge the precomputed assignment.
func tokenStrategy(resources, functions map[string]string) tfbridge.Strategy {
	return tfbridge.Strategy{
		Resource: func(tfToken string, elem *tfbridge.ResourceInfo) error {
			elem.Tok = tokens.Type(resources[tfToken])
			return nil
		},
		DataSource: func(tfToken string, elem *tfbridge.DataSourceInfo) error {
			elem.Tok = tokens.ModuleMember(functions[tfToken])
			return nil
		},
	}
}
