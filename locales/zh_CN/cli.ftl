## 命令行：数据库在哪里、账号列表、迁移（其余命令行文字在 main.ftl 与 reports.ftl）

# 数据库不存在（SQLite 文件不在）：不打开它，免得建出一个空库
cli-no-database = 没有数据库：{ $path } 不存在。要新建，请运行 `gongzhi db upgrade`，再用 `gongzhi org import examples/pinggu-demo.yaml` 导入组织。
cli-no-database-sandbox = 本地沙盒的数据库在 { $path }；要用它，请加上 --sandbox：{ $command }
cli-no-database-no-sandbox = 本地沙盒的数据库（{ $path }）也还没有：先运行一次 `gongzhi sandbox`，之后就可以用 { $command }
cli-no-sandbox-database = 本地沙盒的数据库 { $path } 还不存在：先运行一次 `gongzhi sandbox`（或不设置 GONGZHI_BOT_TOKEN 运行 `gongzhi run`），再加 --sandbox 使用它。
error-input-file-missing = 找不到文件 { $path }。找过：{ $looked }

# gongzhi where
cli-where-database = 数据库（{ $source }）：{ $url }
cli-where-source-sandbox = --sandbox，本地沙盒
cli-where-source-env = 来自 GONGZHI_DATABASE_URL
cli-where-source-default = 默认位置
cli-where-missing = 还不存在：运行 `gongzhi db upgrade` 新建。
cli-where-revision = 结构版本：{ $current }（最新：{ $head }）
cli-where-unreachable = 无法打开：{ $reason }
cli-where-sandbox = 本地沙盒的数据库：{ $url }
cli-where-sandbox-missing = 沙盒数据库还不存在：运行一次 `gongzhi sandbox` 就会创建。
cli-where-sandbox-hint = 在命令中加上 --sandbox 即可使用它，例如 `gongzhi --sandbox accounts list`。

# gongzhi db revision
cli-db-revision-written = 已生成迁移文件：{ $path }
    请检查其中的操作，然后运行 `gongzhi db upgrade`。
cli-db-revision-failed = 无法生成迁移：{ $reason }

# gongzhi accounts list
cli-accounts-head = 账号 ID · 姓名 · 手机 · 角色（`--as ID` 用这里的 ID）
cli-accounts-row = { $id } · { $name } · { $phone } · { $roles }
cli-accounts-grant = { $role }@{ $org }（{ $org_name }）
cli-accounts-separator = ，
cli-accounts-no-role = 无角色
cli-accounts-no-phone = 无手机号
cli-accounts-empty = 没有符合条件的账号。
cli-accounts-count = 共 { $count } 个账号。
cli-privacy-dry-run = 试运行：{ $count } 张工单在 { $cutoff } 之前关闭，其个人信息将被清除（未做任何修改）。
cli-privacy-purged = 已清除 { $count } 张工单的个人信息（{ $cutoff } 之前关闭；统计数据保留），已记入审计日志。
