# The operators' policy (they log in with OIDC): every secret of the mount, and sudo.
path "secret/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}
