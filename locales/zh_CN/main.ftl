## 通用
plain = { $text }
yes = 是
no = 否
skipped = 已跳过。
text-clipped = …（内容过长，已截断）
cancelled = 已取消。
nothing-to-cancel = 当前没有进行中的操作。
welcome = 您好，{ $name }！这里是「共治」小区服务助手：报事报修、查看进度、评价服务。
help-short = 请使用下方命令：/report 报事报修，/my 我的工单，/help 帮助。
help-resident =
    📋 居民可用命令：
    /report 报事报修（漏水、电梯、供暖、噪音等）
    /my 查看我的工单及进度
    /matters 共议事项：公示、表决（业主）
    /campaigns 六个一点：认捐与账目
    /lang 切换语言
    /cancel 取消当前操作
    /council 小区议事会：提议题，看议程与纪要
help-staff =
    🛠 工作人员可用命令：
    /queue 待办工单（最早的在前）
    在工单卡片上点按钮即可受理、接单、询问居民、办结或退回；回复工单消息即可与居民沟通。
    /lang 切换语言
welcome-sandbox = 这是本地沙盒，不连接 Telegram。
lang-choose = 请选择语言 / Choose a language:
lang-name-zh_CN = 简体中文
lang-name-en = English
lang-set = 语言已切换为简体中文。

## 加入
joined-role = ✅ 您已加入「{ $org }」，身份：{ $role }。
joined-compound = 🏠 欢迎加入「{ $compound }」！请输入您的房号（如 3-2-501，楼号-单元-房间），或点“跳过”。
unit-ask-again = 请输入房号（如 3-2-501），或点“跳过”。
unit-saved = 房号 { $unit } 已登记，物业核实后生效。

role-resident = 居民
role-staff = 物业工作人员
role-manager = 物业项目经理
role-community = 社区工作者
role-street = 街道工作人员
role-department = 职能部门
role-committee = 业委会/物管会委员
role-admin = 管理员

## 分类、优先级、状态
category-heating = 供暖
category-leak = 漏水/渗水
category-drain = 下水/堵塞
category-elevator = 电梯
category-power_water = 停水停电
category-sanitation = 环境卫生
category-greenery = 绿化
category-parking = 停车
category-fees = 收费/物业费
category-ev_charging = 充电
category-fire_lane = 堆物/消防通道
category-renovation = 装修
category-noise = 噪音
category-dogs = 养犬
category-illegal_building = 违建
category-group_rental = 群租
category-other = 其他
priority-emergency = 紧急
priority-urgent = 加急
priority-normal = 一般
state-new = 待受理
state-acknowledged = 已受理
state-in_progress = 处理中
state-waiting_resident = 等待居民回复
state-resolved = 已办结（待确认）
state-closed = 已关闭
state-rejected = 已退回

## 报事
report-choose-compound = 请选择要报事的小区：
report-choose-category = 请选择问题类别：
report-category-chosen = 类别：{ $category }
report-describe = 请用文字描述问题（位置、现象、持续多久），不超过 { $max } 字。
report-photos = 可以发送照片（最多 { $max } 张），发完点“照片已发完”；没有照片也直接点它。
report-photos-expected = 现在可以发送照片，或点“照片已发完”继续。
report-photo-received = 已收到第 { $n } 张照片（最多 { $max } 张）。
report-location = 可以发送位置（📎 → 位置），或点“不发位置”。
report-location-expected = 请发送位置，或点“不发位置”。
report-review =
    请确认：
    小区：{ $compound }
    类别：{ $category }
    描述：{ $description }
    照片：{ $photos } 张
    位置：{ $location }
    匿名：{ $anonymous }
    { $privacy }
report-submitted =
    ✅ 已提交，工单号 { $number }。预计 { $due } 前响应。可用 /my 查看进度。
    { $handler }
report-cancelled = 已取消报事，内容未保存。

## 按钮
btn-cancel = 取消
btn-skip = 跳过
btn-photos-done = 照片已发完
btn-no-location = 不发位置
btn-submit = ✅ 提交
btn-edit = ✏️ 修改
btn-anonymous = 匿名/实名
btn-ack = 受理
btn-take = 接单
btn-ask = 询问居民
btn-resolve = 办结
btn-reject = 退回
btn-fixed-yes = 👍 已解决
btn-fixed-no = 👎 未解决
btn-stars = { $n }★
btn-reply = 回复
btn-answer = 回答
btn-add-info = 补充信息
btn-prev = ◀ 上一页
btn-next = 下一页 ▶
btn-no-note = 不写说明
btn-no-comment = 不写评语

## 工单卡片
ticket-card =
    📌 工单 { $number }（{ $state }）
    小区：{ $place }
    类别：{ $category } · { $priority }
    描述：{ $description }
    照片：{ $photos } 张 · 报告人：{ $reporter }
    提交：{ $created }
    { $details }
ticket-card-resident =
    📌 工单 { $number }（{ $state }）
    小区：{ $place }
    类别：{ $category }
    描述：{ $description }
    照片：{ $photos } 张
    提交：{ $created } · 预计：{ $due } 前
reporter-hotline = 12345 热线（{ $phone }）
reporter-anonymous = 匿名
reporter-anonymous-handler = { $name }（匿名，仅处理人员可见）
reporter-named = { $name }

## 工作人员
staff-ask-prompt = 请输入要问居民的问题（工单 { $number }）。等待回复期间时限暂停。
staff-resolve-prompt = 请输入办结说明（工单 { $number }），或点“不写说明”。
staff-reject-prompt = 请选择退回原因（工单 { $number }）：
staff-duplicate-prompt = 请输入重复的原工单号（如 PG-2026-000001）。
reject-reason-not-responsible = 不属物业职责（转社区）
reject-reason-duplicate = 重复工单
reject-reason-invalid = 无效工单
done-acknowledged = 已受理 { $number }
done-taken = 已接单 { $number }
done-rejected = 工单 { $number } 已退回。
done-rerouted = 工单 { $number } 已转社区处理。
done-asked = 问题已发给居民（工单 { $number }），等待回复。
done-resolved = 工单 { $number } 已办结，等待居民确认。
relayed-to-resident = 已转达居民（工单 { $number }）。
queue-empty = 🎉 没有待办工单。
queue-head = 待办工单共 { $total } 件（第 { $page }/{ $pages } 页），最早提交于 { $oldest }：
queue-line = { $number } · { $category } · { $state }

## 居民的工单
my-empty = 您还没有工单。用 /report 报事报修。
my-head = 我的工单共 { $total } 件（第 { $page }/{ $pages } 页），点一下查看进度：
my-line = { $number } · { $category } · { $state }
history = 🕘 处理记录：
history-created = { $at } 提交
history-acknowledged = { $at } 已受理
history-assigned = { $at } 已派工
history-asked = { $at } 工作人员询问：{ $text }
history-staff-message = { $at } 工作人员：{ $text }
history-resident-message = { $at } 您补充：{ $text }
history-resolved = { $at } 已办结：{ $text }
history-rejected = { $at } 已退回
history-rerouted = { $at } 转社区处理
history-reopened = { $at } 您反馈未解决，已重新处理
history-confirmed = { $at } 您确认已解决
history-rated = { $at } 您已评价
history-rating-comment = { $at } 评语：{ $text }
history-escalated = { $at } 已升级督办
history-auto-closed = { $at } 超时未确认，自动关闭
resident-add-prompt = 请输入要补充的信息或发送照片（工单 { $number }）。
resident-answer-prompt = 请回答工作人员的问题（工单 { $number }）。
resident-added = 已转达处理人员（工单 { $number }）。
confirm-closed = 感谢确认！工单 { $number } 已关闭。
rate-prompt = 请为本次服务打分（工单 { $number }）：
confirm-reopened = 已重新打开工单 { $number }（第 { $count } 次），处理人员会尽快跟进。
rated = 感谢评价：{ $stars } 星（工单 { $number }）。可以再写几句评语，或点“不写评语”。
comment-saved = 评语已记录（工单 { $number }），谢谢！
satisfaction-satisfied = 满意
satisfaction-basic = 基本满意
satisfaction-dissatisfied = 不满意

## 通知
notice-new-ticket = 🔔 新工单 { $number }
notice-resident-message = 💬 工单 { $number } 居民补充：{ $text }
notice-resident-answered = 💬 工单 { $number } 居民回复：{ $text }
notice-staff-message = 💬 工单 { $number } 工作人员：{ $text }
    （直接回复本消息即可答复）
notice-question = ❓ 工单 { $number } 工作人员想了解：{ $text }
    请点“回答”或直接回复本消息。
notice-acknowledged = 📥 您的工单 { $number } 已受理。
notice-taken = 👷 工单 { $number } 已由 { $staff } 接单处理。
notice-rejected = ⚠️ 工单 { $number } 已退回：{ $reason }。{ $other }
notice-rerouted = ↪️ 工单 { $number } 已转交 { $community } 处理。{ $why }
notice-resolved = ✅ 工单 { $number } 已办结：{ $note }
    问题解决了吗？
no-note = （无说明）
notice-reopened = 🔁 工单 { $number } 居民反馈未解决（第 { $count } 次重开），请继续处理。
notice-rated = ⭐ 工单 { $number } 居民评价：{ $stars } 星（{ $level }）。
notice-rating-comment = 📝 工单 { $number } 居民评语：{ $text }

## 错误
error-generic = 抱歉，出了点问题，请稍后再试。
error-try-again = 服务暂时不可用。您的消息不会丢失，恢复后会自动处理；也可以稍后再试。
error-unknown-button = 这个按钮无法识别。
error-unknown-command = 没有 /{ $command } 这个命令。发送 /help 查看可用命令。
error-stale-button = 这个按钮已过期，请重新操作。
error-use-buttons = 请点上方的按钮进行选择，或发送 /cancel 取消。
error-not-allowed = 您没有权限处理这个工单。
error-ticket-not-found = 找不到这个工单。
error-invalid-state = 工单 { $number } 当前状态为“{ $state }”，不能进行此操作。
error-description-empty = 描述不能为空，请用文字描述问题。
error-unsupported-message = 暂不支持这类消息（贴纸、语音、视频、文件等）。请发送文字、照片或位置。
error-description-too-long = 描述太长了（{ $length } 字），请控制在 { $max } 字以内。
error-too-many-photos = 最多只能发送 { $max } 张照片，请点“照片已发完”。
error-text-expected = 请发送文字内容。
error-text-too-long = 内容太长了（{ $length } 字），请控制在 { $max } 字以内。
error-not-a-resident = 您还没有加入小区。请使用物业或社区提供的小区二维码/链接加入后再报事。
error-private-only = 请在与机器人的私聊中使用这个命令。
error-not-staff = 这个命令仅供物业或社区工作人员使用。
error-invite-invalid = 邀请链接无效。
error-invite-used = 这个邀请链接已被使用过。
error-invite-expired = 这个邀请链接已过期，请联系管理员重新生成。
error-invite-throttled = 尝试次数过多：无效的邀请码已达上限，请 { $minutes } 分钟后再试，或联系管理员。
error-compound-not-found = 找不到这个小区，请核对链接。
error-unit-not-found = 没有找到房号 { $unit }，请核对后重新输入（如 3-2-501），或点“跳过”。
error-bad-start-link = 链接无法识别，请核对后重试。
error-no-reporter = 工单 { $number } 来自热线，没有可联系的居民账号。
error-already-yours = 工单 { $number } 已经由您处理中。
error-cannot-reroute = 工单 { $number } 已在社区队列，不能再转交。
error-duplicate-not-found = 找不到原工单 { $number }，请核对工单号。
error-unknown-reason = 未知的退回原因。
error-already-rated = 工单 { $number } 已经评价过了。
error-not-rated = 请先打分再写评语。
error-already-commented = 工单 { $number } 已经写过评语了。
error-bad-rating = 评分应为 1 到 5 星。
error-unknown-category = 未知的问题类别。
error-no-community = 小区「{ $compound }」未归属社区，请联系管理员。
error-role-scope = 角色 { $role } 不能授予「{ $org }」。
error-org-not-found = 找不到组织 { $org_code }。

## 命令行
cli-no-token = 未设置 GONGZHI_BOT_TOKEN：启动本地沙盒（不连接 Telegram）。
cli-schema-outdated = 数据库结构不是最新版本。请先运行 `gongzhi db upgrade`，或使用 `gongzhi run --upgrade`。
cli-db-revision = 数据库版本：{ $current }（最新：{ $head }）
cli-invite-expires = 单次有效，{ $expires } 过期。
error-org-file-invalid = 组织文件有误：
    { $detail }
cli-org-line = { $kind }：新增 { $created }，更新 { $updated }，未变 { $unchanged }
cli-org-rules = 新增默认分派规则 { $count } 条
org-kind-district = 区
org-kind-company = 物业公司
org-kind-street = 街道/乡镇
org-kind-department = 职能部门
org-kind-community = 社区
org-kind-compound = 小区
org-kind-building = 楼栋
org-kind-unit = 房屋
help-governance =
    📊 社区、街道与管理人员：
    /stats 接诉即办三率（响应率、解决率、满意率）与综合得分
    /digest 每日/每周简报的开关与时间（如 /digest 07:30）
    /plan 整改方案（一小区一方案）及事项进度
    /whistle 吹哨报到记录（在工单卡片上点“🔔 吹哨”召集职能部门），/whistle 编号 查看一次
    /council 议事会：/council new 安排，议题、决定与纪要
error-holidays-file-missing = 节假日文件 { $path } 无法打开（{ $reason }）。请检查 GONGZHI_HOLIDAYS_FILE。
error-holidays-file-yaml = 节假日文件 { $path } 不是有效的 YAML（第 { $line } 行附近）。
error-holidays-file-shape = 节假日文件 { $path } 的格式不对：应为 holidays / workdays / not_holidays 三个日期列表。
error-holidays-file-unknown-keys = 节假日文件 { $path } 中有未知的键：{ $keys }（只允许 holidays、workdays、not_holidays）。
error-holidays-file-date = 节假日文件 { $path } 中的“{ $value }”不是日期（应为 2027-01-01 这样的格式）。
error-holidays-file-in-both = 节假日文件 { $path } 中的日期同时列在 { $first } 和 { $second } 中：{ $dates }。
calendar-no-workdays = ⚠️ 日历中没有 { $year } 年的调休上班日：该年的时限按普通周末计算。请更新 holidays 包，或在 GONGZHI_HOLIDAYS_FILE 的 workdays 中列出。
