## 分步发起共议、维修资金申请、六个一点（handlers/owners_new.py）
btn-form-done = 完成
btn-form-skip = 跳过（用默认值）
form-photos-kept = 已收到 { $count } 张照片。可继续发送，或点“完成”。
error-form-bad-day = “{ $text }”不是日期。请按 YYYY-MM-DD 发送，例如 2026-12-20。
error-form-bad-text = 请发送文字（最多 { $max } 字，这次是 { $length } 字）。
error-form-not-yours = 您不能为{ $compound }发起。请发送您负责的小区代码，或发送 /cancel 取消。
error-form-photos-expected = 请以照片形式发送报价，或点“完成”。

matter-ask-compound = 发起共议。哪个小区？请点选，或发送小区代码。
matter-ask-kind = 事项类型？特别事项（《民法典》第二百七十八条：筹集或使用维修资金、改建重建、改变用途等）须四分之三通过。
matter-ask-title = 标题（最多 200 字）：
matter-ask-description = 给业主的说明（最多 2000 字）：
matter-ask-first = 表决开始日期（YYYY-MM-DD，例如 2026-12-20）：
matter-ask-last = 表决结束日期（YYYY-MM-DD）：
matter-ask-notice = 公示开始日期（YYYY-MM-DD）？跳过则为表决前 15 天（北京市规定）。
matter-notice-default = 表决前 { $days } 天
matter-review =
    请核对新的共议事项：
    小区：{ $compound }
    { $kind }
    标题：{ $title }
    { $description }
    表决：{ $first } 至 { $last }
    公示开始：{ $notice }
error-matter-stale = 这个按钮已过期：共议事项已进入下一步。
error-matter-not-allowed = 只有本小区业委会/物管会或社区工作人员可以操作；只有已确认的业主可以为自己的房屋表决。

fund-ask-compound = 维修资金申请。哪个小区？请点选，或发送小区代码。
fund-ask-works = 工程内容？（例如 3号楼屋面防水，最多 300 字）
fund-ask-amount = 申请金额（元，最多两位小数，例如 86000 或 86000.50）：
fund-ask-emergency = 是否应急使用（屋面漏水、外墙保温、电梯）？
fund-emergency-yes = 是，应急使用
fund-emergency-no = 否，普通使用（业主共同决定）
fund-ask-source = 由哪项资金支付？
fund-source-own = 本小区维修资金
fund-source-district = 区应急解危资金（无维修资金的小区）
fund-ask-quotes = 请以照片形式发送报价，然后点“完成”（没有报价也可直接点“完成”）。
fund-review =
    请核对申请：
    小区：{ $compound }
    工程：{ $works }
    金额：¥{ $amount } · { $path }
    报价：{ $quotes } 份
error-fund-stale = 这个按钮已过期：申请已进入下一步。
error-fund-not-allowed = 您的角色不能进行维修资金申请的这一步。

campaign-ask-compound = 发起六个一点。哪个小区？请点选，或发送小区代码。
campaign-ask-purpose = 用途（例如 小区道路铺装，最多 300 字）：
campaign-ask-target = 目标金额（元，最多两位小数）：
campaign-ask-quantity = 工程量（例如 1798 ㎡，最多 40 字），或点“跳过”：
campaign-ask-end = 截止日期（YYYY-MM-DD）：
campaign-review =
    请核对项目：
    小区：{ $compound }
    用途：{ $purpose }
    目标：¥{ $target } · 工程量 { $quantity }
    截止：{ $end }
error-campaign-bad-end = 截止日期须为今天（{ $today }）或以后。
error-campaign-stale = 这个按钮已过期：项目已进入下一步。
error-campaign-not-allowed = 您的角色不能进行此操作（居民认捐；业委会或社区登记和结项）。

error-owners-stale = 这个按钮已过期。
error-owners-not-allowed = 只有本小区业委会/物管会或社区工作人员可以确认业主。
