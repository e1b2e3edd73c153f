# 首小时体验（issue 11）：合并通知、打开工单卡片

btn-open-ticket = 📋 查看 { $number }
notice-bundle =
    🔔 您有 { $count } 条工单提醒：
    { $lines }
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
