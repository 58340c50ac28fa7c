path "secret/data/shared/*" {
  capabilities = ["read", "list"]
}
