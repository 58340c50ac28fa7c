# The web team reads its secrets, except the admin ones.
path "secret/data/prod/*" {
  capabilities = ["read"]
}

path "secret/data/prod/admin/*" {
  capabilities = ["deny"]
}
