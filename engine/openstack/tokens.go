package openstack

import (
	"fmt"
	"regexp"
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

// splitTF turns openstack_compute_instance_v2 into ("compute", "instance_v2").
func splitTF(tfToken string) (module, rest string) {
	trimmed := strings.TrimPrefix(tfToken, "openstack_")
	prefix, rest, _ := strings.Cut(trimmed, "_")
	if m, ok := moduleOfPrefix[prefix]; ok {
		return m, rest
	}
	return prefix, rest
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

// resolve finds the SDK token for a Terraform resource or data source name;
// names the SDK does not know get the bridge's standard shape.
func (idx sdkIndex) resolve(tfToken string, function bool) string {
	module, rest := splitTF(tfToken)
	prefix := ""
	if function {
		prefix = "get"
	}
	if tok, ok := idx.lookup(module, prefix+flat(rest)); ok {
		return tok
	}
	// Upstream keeps a few cross-module names in "index", spelled out in full.
	whole := strings.TrimPrefix(tfToken, "openstack_")
	if tok, ok := idx.lookup("index", prefix+flat(whole)); ok {
		return tok
	}
	name := camel(rest)
	if function {
		name = "get" + strings.ToUpper(name[:1]) + name[1:]
		return fmt.Sprintf("openstack:%s/%s:%s", module, name, name)
	}
	return fmt.Sprintf("openstack:%s/%s:%s", module, name, strings.ToUpper(name[:1])+name[1:])
}

func tokenStrategy(all []sdkToken) tfbridge.Strategy {
	idx := newSDKIndex(all)
	return tfbridge.Strategy{
		Resource: func(tfToken string, elem *tfbridge.ResourceInfo) error {
			elem.Tok = tokens.Type(idx.resolve(tfToken, false))
			return nil
		},
		DataSource: func(tfToken string, elem *tfbridge.DataSourceInfo) error {
			elem.Tok = tokens.ModuleMember(idx.resolve(tfToken, true))
			return nil
		},
	}
}
