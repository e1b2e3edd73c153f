# 简报（handlers/digest.py、services/digest.py）与整改方案 一小区一方案（handlers/plans.py、
# services/rectification*.py、bot/cli_plans.py）


## 简报正文
digest-head-daily = 📋 { $org } · 每日简报（{ $since } 至 { $until }）
digest-head-weekly = 📋 { $org } · 每周简报（{ $since } 至 { $until }）
digest-totals = 新增 { $new } 件 · 未办结 { $open } 件 · 超时 { $overdue } 件 · 已升级 { $escalated } 件
digest-section-compounds = 🏘 按小区（新增/未办结/超时/升级）：
digest-section-categories = 🗂 按类别（新增/未办结/超时/升级）：
digest-row = • { $name }：{ $new } / { $open } / { $overdue } / { $escalated }
digest-waiting-community = 📥 社区队列中尚无人接单：{ $count } 件
digest-waiting-manager = 📥 公司队列中尚无人接单：{ $count } 件
digest-waiting-street = 📥 已升级到街道层级：{ $count } 件
digest-closed = ✅ 本期办结关闭 { $closed } 件
digest-ratings = ⭐ 收到评价 { $count } 条，平均 { $average } 星（满意 { $satisfied } · 基本满意 { $basic } · 不满意 { $dissatisfied }）
digest-ratings-none = ⭐ 本期没有收到评价
digest-section-worst = ⚠️ 超时最久的工单：
digest-worst-line = • { $number } { $compound } · { $category } · 已超时 { $late }
digest-worst-none = 👍 目前没有超时工单
digest-section-plans = 🛠 整改方案进度：
digest-plan-line = • { $compound } { $quarter }：已完成 { $done }/{ $total } 项，逾期 { $overdue } 项
btn-digest-ticket = 查看 { $number }

## 简报图表
digest-chart-title = { $org } 工单概况
digest-chart-bars = 各小区未办结与超时工单
digest-chart-open = 未办结
digest-chart-overdue = 超时
digest-chart-trend = 近四周每周新增工单
# a 7-day window of the trend, by its first and last day
digest-chart-week = { $first }–{ $last }

## /digest 设置
digest-settings-head = 🔔 您的简报设置：
digest-saved = ✅ 已保存。您的简报设置：
digest-setting-daily = • 每日简报（工作日）{ $time }：{ $state }
digest-setting-weekly = • 每周简报（周一）{ $time }：{ $state }
digest-state-on = 开启
digest-state-off = 关闭
digest-settings-help = 发送 /digest on 或 /digest off 开关简报，/digest 07:30 修改时间，/digest now 立即查看。
btn-digest-on = 🔔 开启
btn-digest-off = 🔕 关闭
btn-digest-time = { $time }
btn-digest-now = 📋 立即查看
error-digest-not-available = 简报仅供社区工作者、街道工作人员和物业项目经理使用。
error-digest-bad-time = 无法识别时间“{ $text }”，请写成 07:30 这样的 24 小时制时间。设置未改变。

## 整改方案（一小区一方案）
rx-default-title = { $compound } { $quarter } 专项整治方案
rx-opened = 已创建 { $quarter } 整改方案
rx-exists = 打开 { $quarter } 整改方案
rx-plan-head = 🛠 { $title }
    小区：{ $compound } · 季度：{ $quarter }
    进度：已完成 { $done }/{ $total } 项，逾期 { $overdue } 项
rx-category = 【{ $category }】
rx-category-empty = （暂无整改事项）
rx-item-done = ✅ { $title } — { $owner } — 截止 { $deadline }
rx-item-open = ⬜ { $title } — { $owner } — 截止 { $deadline }
rx-item-overdue = ❗ { $title } — { $owner } — 截止 { $deadline }（已逾期）
btn-rx-done = ✅ 完成：{ $title }
btn-rx-add = ➕ 添加整改事项
btn-rx-view = 查看整改方案
rx-none = 您的辖区目前没有整改方案。
rx-list-head = 整改方案共 { $count } 个，点一下查看：
rx-list-line = { $compound } { $quarter }（{ $done }/{ $total }）
rx-pick-category = 请选择整改事项的类别：
rx-category-button = { $category }
rx-item-prompt = 请按“事项；负责单位代码或账号；截止日期”的格式发送一条消息，类别：{ $category }。例如：
    清理3号楼楼道堆物；YJWY；2026-12-31
rx-item-added = ✅ 已添加整改事项“{ $title }”。
rx-done-ok = ✅ 已完成：{ $title }
rx-reminder = ⏰ 整改事项“{ $title }”（{ $compound } { $quarter }）已用去时限的 { $percent }%，请在 { $deadline } 前完成。
rx-overdue = ⚠️ 整改事项“{ $title }”（{ $compound } { $quarter }）已超过截止日期 { $deadline }，请尽快完成。
rx-escalation = 🚨 整改事项“{ $title }”（{ $compound } { $quarter }，负责：{ $owner }）截止 { $deadline } 仍未完成，已升级至{ $level }，请督办。
rx-level-1 = 街道（乡镇）
rx-level-2 = 区级
error-rx-bad-quarter = 季度“{ $quarter }”无法识别，请写成 2026Q3 这样的格式。
error-rx-plan-not-found = 找不到这个整改方案。
error-rx-item-not-found = 找不到这个整改事项。
error-rx-not-allowed = 您没有权限进行这项整改方案操作。
error-rx-bad-owner = 找不到负责单位或账号“{ $owner }”，请填写物业公司、社区、街道或职能部门的代码，或账号编号。
error-rx-bad-deadline = 截止日期“{ $deadline }”无效，请写成 2026-12-31 这样的格式，且不能早于今天。
error-rx-bad-item = 格式不对，请按“事项；负责单位代码或账号；截止日期”发送，例如：清理楼道堆物；YJWY；2026-12-31
error-rx-bad-title = 事项名称应为 1 到 300 个字。
error-rx-bad-category = 类别名称应为 1 到 32 个字。
error-rx-already-done = 整改事项“{ $title }”已经完成了。
error-rx-file-invalid = 整改方案文件有误：{ $detail }

## 命令行 gongzhi plan
plan-imported = 已导入整改方案 #{ $plan }（{ $compound } { $quarter }，{ $created }）：新增 { $added } 项，更新 { $updated } 项，未变 { $unchanged } 项。
plan-imported-created = 新建
plan-imported-existing = 已有方案
plan-list-row = #{ $plan } { $compound } { $quarter } · { $title } · 已完成 { $done }/{ $total }，逾期 { $overdue }
plan-list-empty = 还没有整改方案。
