# 时限、提醒、升级与自动关闭（services/tick.py、handlers/notices_deadlines.py）

deadline-target-first-response = 首次响应
deadline-target-resolution = 办结
deadline-target-on-site = 到场

deadline-reminder-first-response = ⏰ 工单 { $number } 已用去首次响应时限的 { $percent }%，请在 { $due } 前响应。
deadline-reminder-resolution = ⏰ 工单 { $number } 已用去办结时限的 { $percent }%，请在 { $due } 前办结。
deadline-reminder-on-site = ⏰ 工单 { $number } 已用去到场时限的 { $percent }%，请在 { $due } 前到场。
deadline-reminder-paused = ⏰ 工单 { $number } 已用去{ $target }时限的 { $percent }%；目前正在等待居民答复，计时暂停。
deadline-overdue = ⚠️ 工单 { $number } 已超过{ $target }时限（应于 { $due } 前完成），已超时 { $late }，请尽快处理。

deadline-level-1 = 社区
deadline-level-2 = 街道（乡镇）
deadline-level-3 = 区级

deadline-reason-first-response-overdue = 首次响应超时
deadline-reason-resolution-overdue = 办结超时
deadline-reason-on-site-overdue = 到场超时
deadline-reason-level-overdue = 上一级未在时限内办结
deadline-reason-reopened = 居民再次要求重新处理
deadline-reason-dissatisfied = 居民评价不满意
deadline-reason-whistle = 吹哨报到

deadline-escalation = 🚨 工单 { $number } 已升级至{ $level }层级（原因：{ $reason }），请及时跟进。
deadline-escalation-late = 🚨 工单 { $number } 已升级至{ $level }层级（原因：{ $reason }，已超时 { $late }），请及时跟进。

deadline-auto-closed = ✅ 工单 { $number } 办结后 { $days } 天内未收到您的确认，系统已自动关闭。如问题仍未解决，请重新反映。欢迎对本次服务进行评价。

deadline-late-minutes = { $minutes } 分钟
deadline-late-hours = { $hours } 小时 { $minutes } 分钟
deadline-late-days = { $days } 天 { $hours } 小时

# 命令行 gongzhi sla
sla-list-title = SLA 时限（类别 · 优先级 · 首次响应 · 办结 · 到场；* 表示全部类别，bd 为工作日）
sla-list-row = { $category } · { $priority } · 首次响应 { $first } · 办结 { $resolution } · 到场 { $onsite }
sla-level-title = 升级时限（层级 · 优先级 · 时限）
sla-level-row = 第 { $level } 级（{ $name }）· { $priority } · { $deadline }
sla-seeded = 已补充 { $count } 条默认规则。
error-bad-span = 无法识别时长“{ $text }”，请写成 15m、2h、1bd（工作日）、3d（自然日，仅用于 24x7）等形式。
error-unknown-priority = 未知的优先级 { $priority }（可选 emergency、urgent、normal）。
error-unknown-target = 未知的时限项 { $target }。
error-first-response-required = 首次响应时限不能取消。
error-nothing-to-change = 请至少给出一项时限，例如 --first-response 2h。
error-unknown-level = 没有第 { $level } 级（可选 1 社区、2 街道、3 区级）。
