## Command line: where the database is, the account list, migrations (the other CLI texts are in main.ftl and reports.ftl)

# the database does not exist (no SQLite file): it is not opened, which would create an empty one
cli-no-database = No database: { $path } does not exist. To create one run `gongzhi db upgrade`, then import the org with `gongzhi org import examples/pinggu-demo.yaml`.
cli-no-database-sandbox = The local sandbox's database is { $path }; to use it, add --sandbox: { $command }
cli-no-database-no-sandbox = The local sandbox's database ({ $path }) does not exist yet either: run `gongzhi sandbox` once, then { $command }
cli-no-sandbox-database = The local sandbox's database { $path } does not exist yet: run `gongzhi sandbox` once (or `gongzhi run` without GONGZHI_BOT_TOKEN), then use --sandbox.
error-input-file-missing = File { $path } not found. Looked in: { $looked }

# gongzhi where
cli-where-database = Database ({ $source }): { $url }
cli-where-source-sandbox = --sandbox, the local sandbox
cli-where-source-env = from GONGZHI_DATABASE_URL
cli-where-source-default = default location
cli-where-missing = Does not exist yet: run `gongzhi db upgrade` to create it.
cli-where-revision = Schema revision: { $current } (latest: { $head })
cli-where-unreachable = Cannot open it: { $reason }
cli-where-sandbox = The local sandbox's database: { $url }
cli-where-sandbox-missing = The sandbox's database does not exist yet: run `gongzhi sandbox` once to create it.
cli-where-sandbox-hint = Add --sandbox to a command to use it, e.g. `gongzhi --sandbox accounts list`.

# gongzhi db revision
cli-db-revision-written = Migration written: { $path }
    Check its operations, then run `gongzhi db upgrade`.
cli-db-revision-failed = Could not generate the migration: { $reason }

# gongzhi accounts list
cli-accounts-head = Account ID · name · phone · roles (use the ID with `--as ID`)
cli-accounts-row = { $id } · { $name } · { $phone } · { $roles }
cli-accounts-grant = { $role }@{ $org } ({ $org_name })
cli-accounts-separator = {", "}
cli-accounts-no-role = no role
cli-accounts-no-phone = no phone
cli-accounts-empty = No account matches.
cli-accounts-count = { $count ->
    [one] 1 account.
   *[other] { $count } accounts.
}
cli-privacy-dry-run = Dry run: { $count } tickets closed before { $cutoff } would have their personal data erased (nothing changed).
cli-privacy-purged = Erased the personal data of { $count } tickets closed before { $cutoff } (statistics kept); recorded in the audit log.
