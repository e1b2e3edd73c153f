# 首小时体验（issue 11）：合并通知、打开工单卡片

btn-open-ticket = 📋 查看 { $number }
notice-bundle =
    🔔 您有 { $count } 条工单提醒：
    { $lines }
notice-new-ticket-line = 🆕 新工单 { $number } · { $category } · { $place }
