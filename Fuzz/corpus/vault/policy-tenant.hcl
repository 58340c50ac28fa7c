# Each namespace reads its own folder.
path "secret/data/{{identity.entity.aliases.auth_kubernetes_1a2b3c4d.metadata.service_account_namespace}}/*" {
  capabilities = ["read"]
}
