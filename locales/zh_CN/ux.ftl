# 首小时体验（issue 11）：合并通知、打开工单卡片

btn-open-ticket = 📋 查看 { $number }
notice-bundle = 🔔 您有 { $count } 条工单提醒：
notice-new-ticket-line = 🆕 新工单 { $number } · { $category } · { $place }

# 工作人员卡片
card-deadlines = ⏱ 首次响应时限：{ $first }{ $met } · { $second }
card-met = （已响应）
card-resolution = 办结时限：{ $due }
card-on-site = 到场时限：{ $due }
card-overdue = ⚠️ 已超时，请优先处理
card-no-location = 📍 位置：居民未提供
card-location = 📍 位置：{ $coords } · 地图：{ $url }
card-location-near = 📍 位置：{ $coords }（距小区约 { $metres } 米）· 地图：{ $url }
card-level = 🚨 已升级至{ $level }层级
card-bounced = ↩️ { $company }（{ $name }）退回，认为不属其职责。原因：{ $note }
queue-line-overdue = ⚠️ 超时 · { $number } · { $category } · { $state }

# 居民报事
report-offer =
    要把这条内容作为报事提交吗？
    描述：{ $description }
    照片：{ $n } 张
    点“用它报事”后选择类别即可，内容会自动填好。
report-offer-no-text = （还没有文字，稍后补充）
report-offer-dismissed = 好的，内容没有提交。需要报事时发送 /report。
btn-report-this = 📝 用它报事
btn-not-now = 暂不
report-prefilled =
    已填入您发的内容：
    { $description }
    照片已有 { $n } 张（最多 { $max } 张），可以继续发送照片，发完点“照片已发完”。
report-photo-kept = 📷 已收到照片（共 { $n } 张），请再用文字描述一下问题。
report-edit-which = 要修改哪一项？其余内容保持不变。
report-edit-description =
    当前描述：{ $current }
    请发送新的描述。
btn-edit-description = 描述
btn-edit-photos = 照片（重新发送）
btn-edit-location = 位置
btn-edit-category = 类别
btn-back = ↩️ 返回
report-anonymous-on = ℹ️ 匿名：负责处理的物业工作人员仍能看到您的姓名以便联系；社区、街道工作人员看不到。
report-anonymous-off = ℹ️ 如选择匿名，只有负责处理的物业工作人员能看到您的姓名；社区、街道工作人员看不到。
report-handler-company = 由 { $name } 负责处理。
report-handler-no-company = 本小区没有物业服务企业，由 { $name } 负责处理。
report-handler-community = “{ $category }”类问题由社区负责，由 { $name } 处理。
rerouted-why = 原因：{ $company } 认为不属其职责（{ $note }），按规定由社区接手处理。

# 按身份的问候与命令菜单
welcome-worker = 您好，{ $name }！这里是「共治」工作台：待办工单、统计与简报、整改与吹哨。
help-short-worker = 请使用 /help 查看您可用的命令。
cmd-report = 报事报修
cmd-my = 我的工单
cmd-matters = 共议事项（公示、表决）
cmd-campaigns = 六个一点：认捐与账目
cmd-council = 小区议事会
cmd-queue = 待办工单
cmd-stats = 接诉即办三率统计
cmd-digest = 简报开关与时间
cmd-plan = 整改方案
cmd-whistle = 吹哨报到
cmd-help = 帮助
cmd-lang = 切换语言
cmd-cancel = 取消当前操作
