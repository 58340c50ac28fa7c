# exact, prefix, segment wildcards, deny, legacy policy, conditions, comments
path "secret/data/prod/db" {
  capabilities = ["read", "list"]
}
path "secret/data/prod/*" { capabilities = ["read"] }
path "secret/data/+/shared" {
  capabilities = ["create", "update", "patch"]
  allowed_parameters = { "ttl" = [] }
}
path "/secret/data/prod/blocked" { capabilities = ["deny"] }
path "sys/mounts" { policy = "sudo" } // legacy
/* a block comment */
path "auth/token/lookup-self" { capabilities = ["read"] }
