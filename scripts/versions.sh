# Pinned versions of the engine pieces, and where govcloud keeps machine-local
# state. Sourced by scripts/*; values may be overridden from the environment.
#
# The Pulumi CLI is at or newer than the Python SDK pinned in pyproject.toml
# (the supported pairing). The provider plugin must carry exactly the version
# the pulumi-openstack SDK asks for, or the engine will not load it.
PULUMI_VERSION=3.274.1
PULUMI_PYTHON_SDK_VERSION=3.272.0
OPENSTACK_PLUGIN_VERSION=5.5.3
TF_OPENSTACK_VERSION=3.4.0

GOVCLOUD_CACHE=${GOVCLOUD_CACHE:-$HOME/.cache/govcloud}
PULUMI_HOME=${PULUMI_HOME:-$GOVCLOUD_CACHE/pulumi-home}
export GOVCLOUD_CACHE PULUMI_HOME
