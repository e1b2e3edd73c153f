## 业主共同决定（民法典第二百七十八条）：表决统计
matter-kind-ordinary = 一般事项（过半数）
matter-kind-special = 特别事项（四分之三）
tally-summary =
    { $kind }
    总专有面积 { $total_area } ㎡，业主 { $total_owners } 人
    参与表决：面积 { $participating_area } ㎡，{ $participating_owners } 人 — { $quorum }
    同意：面积 { $yes_area } ㎡，{ $yes_owners } 人；反对：面积 { $no_area } ㎡，{ $no_owners } 人
    结果：{ $result }
tally-quorum-met = 达到三分之二参与
tally-quorum-missed = 未达到三分之二参与
tally-passed = 通过
tally-not-passed = 未通过
ballot-file-invalid = 选票文件有 { $count } 处问题，未统计：
ballot-bad-header = 第 { $row } 行：表头应为 unit_code,choice（实际：{ $value }）
ballot-bad-row = 第 { $row } 行：应有两列（实际：{ $value }）
ballot-unknown-unit = 第 { $row } 行：房屋 { $value } 不在本小区的房屋登记中
ballot-unknown-choice = 第 { $row } 行：无法识别的选择“{ $value }”（可用 同意/反对/弃权 或 yes/no/abstain）
ballot-owner-conflict = 同一业主的房屋 { $value } 选择不一致

## 共议
matter-state-notice = 公示中
matter-state-voting = 表决中
matter-state-closed = 已计票，待公布
matter-state-published = 结果已公布
matter-state-recorded = 已记录正式结果
matter-view =
    【共议】{ $title }（{ $compound }）
    { $kind } · { $state }
    公示开始：{ $notice }
    表决时间：{ $start } 至 { $end }
    { $description }
matter-tally =
    参与：{ $participating_area } / { $total_area } ㎡，{ $participating_owners } / { $total_owners } 人（{ $quorum }）
    同意：{ $yes_area } ㎡，{ $yes_owners } 人；反对：{ $no_area } ㎡，{ $no_owners } 人 — { $result }
matter-official = 市业主电子投票系统正式结果：{ $result }
matter-my-choice = 您的选择：{ $choice }（表决结束前可以修改）
matter-no-choice = 您尚未表决。
matter-disclaimer = ⚠️ 本机器人仅用于征询和记录；正式表决须通过北京市业主电子投票系统进行。
choice-yes = 同意
choice-no = 反对
choice-abstain = 弃权
btn-choice-yes = 👍 同意
btn-choice-no = 👎 反对
btn-choice-abstain = 弃权
btn-matter-start = 开始表决
btn-matter-close = 结束表决并计票
btn-matter-pub = 公布结果
btn-matter-official-yes = 记录正式结果：通过
btn-matter-official-no = 记录正式结果：未通过
matter-none = 暂无共议事项。
matter-list-head = 共议事项（{ $count } 项）：
matter-list-line = { $title } · { $state }
matter-opened = 已发起，已通知本小区业主。
matter-voted = 已记录：{ $choice }
matter-notice-head = 📢 新的共议事项公示
matter-vote-open-head = 🗳️ 表决已开始
matter-closed-head = 表决已结束，请在规定时间内公布结果。
matter-result-head = 📊 表决结果公布
matter-official-head = 正式结果已记录
matter-publish-due-head = ⏰ 请尽快公布表决结果
owners-none-pending = { $compound }：没有待确认的业主。
owners-pending = { $compound }：{ $count } 位住户待确认为业主：
btn-owner-confirm = 确认 { $name }（{ $unit }）
owner-confirmed = 已确认 { $unit } 的业主。
error-matter-not-yet = 表决尚未开始（开始时间 { $at }）。
error-matter-vote-over = 表决已结束，不能再投票。
error-matter-not-over = 表决时间尚未结束（{ $at }）。
error-matter-bad-text = 标题不能为空（最多 200 字），说明最多 2000 字。
error-matter-bad-window = 表决时间不对：结束须晚于开始和现在，公示开始不能晚于表决开始。
error-matter-bad-form = 一条消息的格式不对。请逐项回答，或发送：小区代码; 一般/特别; 标题; 说明; 开始日期; 结束日期[; 公示开始日期]（日期如 2026-12-20）。
error-matter-not-found = 找不到这个共议事项。
error-owner-binding-not-found = 找不到这条房屋绑定。

## 维修资金
fund-state-draft = 草稿
fund-state-notice = 公示中
fund-state-deciding = 待决定/审核
fund-state-approved = 已批准
fund-state-works = 施工中
fund-state-accepted = 已验收
fund-state-settled = 已结算
fund-state-refused = 未获批准
fund-path-ordinary = 专项维修资金（须业主共同决定）
fund-path-emergency = 应急使用（公示后审核）
fund-path-district = 区应急维修资金
fund-view =
    【维修资金 #{ $id }】{ $works }（{ $compound }）
    申请金额：¥{ $amount } · { $path }
    状态：{ $state } · 报价 { $quotes } 份
fund-matter = 业主决定：{ $title }（{ $state }）
fund-actual = 实际费用：¥{ $actual }
fund-balance = 区应急维修资金余额：¥{ $balance }
fund-step-head = 🛠️ 维修资金申请进展
fund-drafted = 草稿已保存，请核对后提交公示。
fund-settled = 已结算。
fund-none = 暂无维修资金申请。
fund-list-head = 维修资金申请（{ $count } 项）：
fund-list-line = { $works } · { $state }
fund-settle-ask = 请发送实际费用（元，最多两位小数）。
fund-balance-set = { $district } 区应急维修资金余额已设为 ¥{ $balance }。
btn-fund-submit = 提交公示
btn-fund-approve = 批准
btn-fund-start_works = 开始施工
btn-fund-accept = 验收通过
btn-fund-refuse = 不予批准
btn-fund-link = 关联业主决定：{ $title }
btn-fund-settle = 结算（填写实际费用）
error-fund-over-balance = 申请金额 ¥{ $amount } 超过区应急维修资金余额 ¥{ $balance }，不能受理。
error-fund-needs-decision = 须先关联一项已通过的业主共同决定（表决已结束并通过）。
error-fund-matter-elsewhere = 这项业主决定不属于该小区。
error-fund-bad-form = 一条消息的格式不对。请逐项回答，或发送：小区代码; 工程内容; 金额（元）; 普通/应急/区应急
error-fund-not-found = 找不到这项维修资金申请。
error-fund-balance-form = 请发送：/emergencyfund 区代码 金额（元）
error-bad-amount = 金额“{ $amount }”不对：须为正数，最多两位小数。
funds-level-compound = 小区
funds-level-district = 区
funds-col-level = 层级
funds-col-code = 代码
funds-col-name = 名称
funds-col-count = 申请数
funds-col-applied = 申请金额（元）
funds-col-settled = 结算金额（元）
funds-col-balance = 应急资金余额（元）
funds-col-median-days = 草稿至批准天数（中位数）
funds-title = 维修资金使用情况 { $period }
funds-sheet = 维修资金
funds-written = 已写入 { $path }（{ $rows } 行）。

## 六个一点
campaign-state-open = 筹集中
campaign-state-works = 施工中
campaign-state-closed = 已验收结项
campaign-view =
    【六个一点】{ $purpose }（{ $compound }）
    工程量：{ $quantity } · 截止：{ $end } · { $state }
campaign-progress =
    { $bar } { $percent }%
    已到账 ¥{ $received } / 目标 ¥{ $target }（已认捐 ¥{ $pledged }）
campaign-source-line = · { $source }：认捐 ¥{ $pledged }，到账 ¥{ $received }
campaign-names = 鸣谢（经本人同意公开）：{ $names }
campaign-surplus = 决算：实际费用 ¥{ $cost }，结余 ¥{ $amount }。
campaign-shortfall = 决算：实际费用 ¥{ $cost }，缺口 ¥{ $amount }。
campaign-source-government = 政府补一点
campaign-source-street = 街道奖一点
campaign-source-employer = 单位帮一点
campaign-source-property = 物业搭一点
campaign-source-owners = 业主捐一点
campaign-source-community = 社区筹一点
btn-campaign-pledge = 我要认捐
btn-campaign-rec = 登记认捐/到账
btn-campaign-post = 公布账目
btn-campaign-works = 开始施工
btn-campaign-close = 验收并决算
campaign-opened = 已发起，账目已公布给本小区居民。
campaign-none = 暂无六个一点项目。
campaign-list-head = 六个一点项目（{ $count } 个）：
campaign-list-line = { $purpose }
campaign-pledge-ask = 请发送认捐金额（元，最多两位小数）；愿意在账目中公开姓名请加“; 公开”，例如：500; 公开
campaign-rec-ask = 请发送：认捐/到账; 来源（政府补/街道奖/单位帮/物业搭/业主捐/社区筹）; 金额（元）; 名称[; 公开]
campaign-close-ask = 请发送验收后的实际费用（元）。
campaign-pledged = 感谢认捐 ¥{ $amount }！
campaign-recorded = 已登记。
campaign-closed = 已验收结项，决算已公布。
campaign-ledger-head = 📒 六个一点账目公布
campaign-pledge-head = 新的认捐
error-pledge-bad-amount = 认捐金额“{ $amount }”不对：须为正数，最多两位小数。
error-campaign-ended = 认捐已截止（{ $end }）。
error-campaign-bad-form = 一条消息的格式不对。请逐项回答，或发送：小区代码; 用途; 目标金额; 工程量; 截止日期（如 2026-12-31）
error-campaign-bad-entry = 格式不对。请发送：认捐/到账; 来源; 金额; 名称[; 公开]
error-campaign-bad-source = 没有“{ $source }”这个来源（政府补/街道奖/单位帮/物业搭/业主捐/社区筹）。
error-campaign-not-found = 找不到这个六个一点项目。
help-owners =
    🏘️ 业主共同决定（业委会/物管会、社区、街道）：
    /owners 小区代码 确认业主身份（只有确认的业主可以表决）
    /newmatter 发起共议  /matters 共议列表
    /newfund 维修资金申请  /funds 申请列表  /emergencyfund 区应急资金余额（区管理员）
    /newcampaign 六个一点  /campaigns 项目列表
