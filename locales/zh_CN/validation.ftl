# 文件校验问题：组织文件、整改方案、热线 CSV 行
# （services/validation.py 把 pydantic 的错误类型对应到这些键；locales/problems.py 连同位置一起显示）

## 位置
validation-at-file = 文件
validation-at-row = 第 { $row } 行
validation-at-cell = 第 { $row } 行 { $column } 列
validation-problem = { $where }：{ $message }
validation-more = ……另有 { $count } 个问题
validation-org-file-invalid = 组织文件有误（{ $count } 个问题），未导入任何数据：
validation-plan-file-invalid = 整改方案文件有误（{ $count } 个问题），未导入任何数据：

## 问题（通用）
validation-missing = 必填，但缺失或为空
validation-unknown-field = 未知字段（请检查拼写）
validation-text = 应为文字
validation-text-empty = 不能为空
validation-text-too-long = 太长：{ $length } 个字符，最多 { $max } 个
validation-pattern = 格式不符（{ $pattern }）
validation-whole-number = 应为整数
validation-number = 应为数字
validation-at-least = 应不小于 { $limit }
validation-more-than = 应大于 { $limit }
validation-at-most = 应不大于 { $limit }
validation-less-than = 应小于 { $limit }
validation-list = 应为列表
validation-mapping = 应为“键: 值”形式的映射
validation-too-few = 值太少（至少 { $min } 个）
validation-too-many = 值太多（最多 { $max } 个）
validation-yes-no = 应为 true 或 false（是/否）
validation-date = 应为日期，例如 2026-12-31
validation-invalid = 无效
validation-control-characters = 含有控制字符（文件可能已损坏）
validation-line-break = 应写在一行内
validation-file-type = { $file }：不支持的文件类型（请用 .yaml、.yml 或 .csv）
validation-file-unreadable = 无法读取 { $file }
validation-encoding = { $file }：无法识别编码，请另存为 UTF-8
validation-yaml-syntax = YAML 语法错误，位于第 { $line } 行第 { $column } 列

## 组织文件
validation-code = 代码“{ $value }”应为 1 到 { $max } 个字母、数字、- 或 _
validation-ticket-prefix = 工单前缀“{ $value }”应为 1 到 8 个字母或数字
validation-timezone = 未知时区“{ $value }”（例如 Asia/Shanghai）
validation-generator-incomplete = 按规则生成房屋的楼栋需要同时填写 entrances、floors、per_floor 和 area
validation-generator-areas = 应有 { $expected } 个面积（每层每户一个），实际 { $got } 个
validation-generated-code-too-long = 生成的房屋编码“{ $code }”超过 { $max } 个字符
validation-duplicate-code = 代码“{ $code }”重复使用（另见 { $other }）
validation-duplicate-building = 本小区内楼栋“{ $code }”重复（另见 { $other }）
validation-duplicate-unit = 本小区内房屋“{ $code }”重复（另见 { $other }）
validation-unknown-parent = 文件中没有代码为“{ $code }”的街道或区
validation-unknown-company = 文件中没有代码为“{ $code }”的物业公司
validation-code-in-use = 代码“{ $code }”在数据库中已属于{ $kind ->
    [district] 一个区
    [street] 一个街道
    [community] 一个社区
    [compound] 一个小区
    [company] 一家物业公司
    [department] 一个职能部门
   *[other] 另一条记录
}
validation-csv-unknown-column = 未知的列
validation-csv-missing-columns = 缺少列：{ $columns }
validation-csv-no-rows = 没有房屋行
validation-csv-conflict = 与第 { $first_row } 行同一代码的内容不一致
validation-csv-second-district = 一个文件只能有一个区，本行写了另一个区
validation-csv-company-name = 填写了 company_code 时必须填写 company_name

## 整改方案
validation-quarter = 季度“{ $value }”应写成 2026Q3 这样的格式
validation-plan-duplicate-item = 同一类别中事项“{ $title }”重复（另见 { $other }）
validation-unknown-compound = 没有代码为“{ $code }”的小区
validation-unknown-owner = 找不到负责单位或账号“{ $owner }”，请填写物业公司、社区、街道或职能部门的代码，或账号编号

## 热线行
hotline-malformed-row = 行格式错误（可能有多余的双引号）；已跳过本行，其后各行照常读取
hotline-date-format = 受理时间“{ $value }”无法识别（应为 2026-11-20 09:31 或 ISO 格式）
hotline-date-too-early = 受理时间早于 { $earliest }，不合常理
hotline-date-in-future = 受理时间晚于 { $latest }，是未来时间
hotline-phone = 来电号码无法识别（只能包含数字、空格、+ 和 -）
hotline-unknown-compound = 没有编码为 { $code } 的小区
hotline-no-compound = 无法从地址确定小区
hotline-ambiguous-address = 地址可能属于多个小区
hotline-no-community = 小区 { $code } 不属于任何社区，请先修正组织架构
hotline-not-stored = 数据库拒收了这一行，本行没有保存任何数据
hotline-duplicate-in-file = 与本文件第 { $first_row } 行的工单编号相同
hotline-already-imported = 该工单编号已导入过
hotline-rejected-problem = 拒收：{ $where }（工单编号 { $order }）：{ $message }
hotline-duplicate-problem = 重复：{ $where }（工单编号 { $order }）：{ $message }
hotline-would-create-line = 将新建：第 { $row } 行（工单编号 { $order }）
hotline-dry-run-summary = 试运行：将新建工单 { $would } 件，重复 { $duplicates } 行，拒收 { $rejected } 行。没有保存任何数据。
