# 统计、热线导入、排名与导出（services/metrics.py、hotline.py、ranking.py、export.py；
# handlers/stats.py；bot/cli_reports.py）

metrics-none = —

## 统计期
period-running = （统计期尚未结束，为阶段性数据）

## /stats
stats-head = 📊 { $scope } 工单统计
stats-block =
    【{ $period }】收到 { $total } 件，有效 { $valid } 件
    响应率 { $response } · 解决率 { $resolution } · 满意率 { $satisfaction }
    综合得分 { $score }
# 比率及其未到时限（尚不计入）的工单数
stats-rate = { $rate }{ $pending ->
        [0] {""}
       *[other] （另有 { $pending } 件未到时限）
    }
stats-bounced = 物业以“不属本单位职责”转交社区 { $count } 件
stats-standard = 物业服务规范到位率 { $rate }
stats-rectification = 专项整治到位率 { $rate }
stats-foot = 响应率、解决率只计已响应（已解决）或已过时限的工单，未到时限的另列；转交社区后重新计算响应时限。综合得分按 响应 { $w_response } / 解决 { $w_resolution } / 满意 { $w_satisfaction } 加权（满分 100）；满意率 =（满意 + { $basic_weight } × 基本满意）÷ 已评价；“—”表示没有可计算的数据。
btn-stats-earlier = ◀ { $period }
btn-stats-later = { $period } ▶

## 指标表头（gongzhi report metrics）
metrics-col-level = 层级
metrics-col-code = 编码
metrics-col-name = 名称
metrics-col-compounds = 小区数
metrics-col-total = 收到工单
metrics-col-valid = 有效工单
metrics-col-responded = 按时响应
metrics-col-response-pending = 响应未到时限
metrics-col-resolved = 已解决
metrics-col-resolution-pending = 解决未到时限
metrics-col-bounced = 物业转交社区
metrics-col-rated = 已评价
metrics-col-satisfied = 满意
metrics-col-basic = 基本满意
metrics-col-response-rate = 响应率
metrics-col-resolution-rate = 解决率
metrics-col-satisfaction-rate = 满意率
metrics-col-composite = 综合得分
metrics-col-standard-rate = 物业服务规范到位率
metrics-col-rectification-rate = 专项整治到位率
metrics-level-compound = 小区
metrics-level-company = 物业公司
metrics-level-community = 社区
metrics-level-street = 街道（乡镇）
metrics-level-district = 区
metrics-title = 接诉即办指标（按{ $level }）{ $period }：{ $start } 至 { $end }
metrics-sheet = 接诉即办指标
metrics-written = 已写入 { $path }（{ $rows } 行）。

## 季度排名
ranking-head = 📋 { $district } { $quarter } 12345 热线诉求量排名（前 { $top } 名，至少 { $min } 件才参与排名）：
ranking-line = { $rank }. { $name }（{ $code }）：{ $count } 件
ranking-empty = { $district } { $quarter } 没有小区的热线诉求达到 { $min } 件，本季度不排名。
ranking-foot = 请为上榜小区制定专项整治方案（一小区一方案），点击小区即可开始。
btn-ranking-plan = 整改方案：{ $name }
ranking-sent = 已写入 { $count } 条排名通知。

## 12345 热线导入（gongzhi hotline import）
hotline-summary = 热线导入完成：新建工单 { $created } 件，重复 { $duplicates } 行（已跳过），拒收 { $rejected } 行。
hotline-created-line = 新建工单 { $number }
hotline-duplicate-line = 重复：第 { $row } 行（工单编号 { $order }）{ $reason }
hotline-rejected-line = 拒收：第 { $row } 行（工单编号 { $order }）{ $reason }
hotline-dry-run = （试运行：没有保存任何数据）
hotline-reason-missing-order-no = 缺少工单编号
hotline-reason-order-no-too-long = 工单编号超过 64 个字符
hotline-reason-bad-date = 受理时间无法识别：{ $detail }（应为 2026-11-20 09:31 或 ISO 格式）
hotline-reason-future-date = 受理时间晚于当前时间：{ $detail }
hotline-reason-unknown-compound = 没有编码为 { $detail } 的小区
hotline-reason-no-compound = 无法从地址确定小区：{ $detail }
hotline-reason-ambiguous-address = 地址可能属于多个小区：{ $detail }
hotline-reason-empty-content = 诉求内容为空
hotline-reason-content-too-long = 诉求内容太长（{ $detail } 字）
hotline-reason-bad-phone = 来电号码无法识别：{ $detail }
hotline-reason-duplicate-in-file = 与本文件第 { $detail } 行的工单编号相同
hotline-reason-already-imported = 该工单编号已导入过

## 工单导出（gongzhi export tickets）
export-col-number = 工单号
export-col-received-at = 受理时间
export-col-compound-code = 小区编码
export-col-compound-name = 小区
export-col-category = 类别
export-col-priority = 紧急程度
export-col-source = 来源
export-col-state = 状态
export-col-queue = 处理队列
export-col-escalation-level = 升级层级
export-col-reopen-count = 重新处理次数
export-col-acknowledged-at = 响应时间
export-col-resolved-at = 办结时间
export-col-closed-at = 关闭时间
export-col-first-response-due = 响应时限
export-col-resolution-due = 办结时限
export-col-rating = 评分
export-col-satisfaction = 满意度
export-col-reject-reason = 退回原因
export-col-reporter-kind = 反映人类型
export-col-reporter = 反映人
export-col-phone = 联系电话
export-col-external-ref = 热线工单编号
export-col-description = 诉求内容
export-source-chat = 聊天
export-source-hotline = 12345 热线
export-source-staff = 工作人员录入
export-queue-property = 物业
export-queue-community = 社区
export-reporter-named = 实名
export-reporter-anonymous = 匿名
export-reporter-hotline = 热线来电
export-reporter-none = 无
export-hidden = （已隐藏）
export-title = 工单导出 { $period }：{ $start } 至 { $end }（按受理时间）
export-sheet = 工单
export-written = 已导出 { $rows } 件工单到 { $path }。
export-masked-note = 电话已脱敏、匿名反映人已隐藏；管理员可使用 --unmasked --as 账号ID 导出其管辖范围内的完整数据（会记入审计日志）。

## 错误
error-bad-period = 无法识别的统计期“{ $text }”。请使用 2026Q3（季度）、2026-11（月份）或 --from/--to 日期。
error-bad-date = 无法识别的日期“{ $text }”，请使用 2026-10-01 这样的格式。
error-period-conflict = 请只使用 --period 或 --from/--to 其中一种方式。
error-period-missing = 请用 --period（如 2026Q3）或 --from/--to 指定统计期。
error-not-a-quarter = “{ $text }”不是季度，请使用 2026Q3 这样的格式。
error-hotline-bad-header = 热线文件缺少这些列：{ $missing }。第一行应为：order_no,received_at,address,compound_code,category,content,caller_phone
error-hotline-bad-encoding = 热线文件的编码无法识别，请另存为 UTF-8 编码的 CSV。
error-export-not-admin = 账号 { $account } 没有管理员角色，不能导出未脱敏的数据。
error-export-needs-admin = 导出未脱敏数据需要用 --as 指定一个管理员账号ID。
error-stats-not-allowed = 统计仅供物业、社区、街道工作人员和管理员查看。
error-file-not-found = 找不到文件 { $path }。
